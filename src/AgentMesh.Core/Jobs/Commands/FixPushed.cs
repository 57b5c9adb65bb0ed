namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The worker pushed the fix round's commits to the PR branch (or a fix job's first push).</summary>
public sealed record FixPushed : JobCommand;
