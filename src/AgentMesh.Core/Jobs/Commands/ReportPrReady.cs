namespace AgentMesh.Core.Jobs.Commands;

/// <summary>
/// The agent finished with changes ready for a pull request and they are pushed; the summary goes into
/// the PR description. Records the run's <see cref="PushedWork"/> checkpoint.
/// </summary>
public sealed record ReportPrReady(string Summary) : JobCommand;
