namespace AgentMesh.Core.Jobs.Events;

/// <summary>The job ended without a merge because its issue or pull request was closed.</summary>
public sealed record JobClosed(DateTimeOffset At, JobCloseReason Reason) : JobEvent(At);
