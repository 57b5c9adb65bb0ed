namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The job's pull request was closed without merging.</summary>
public sealed record PrClosedWithoutMerge : JobCommand;
