namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The agent finished with changes ready for a pull request; the summary goes into the PR description.</summary>
public sealed record ReportPrReady(string Summary) : JobCommand;
