namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The pull request exists (opened, or found by its head branch on a retry).</summary>
public sealed record PrOpened(int Number, string Url, string HeadBranch) : JobCommand;
