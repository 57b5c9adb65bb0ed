namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The job's pull request was merged.</summary>
public sealed record Merged : JobCommand;
