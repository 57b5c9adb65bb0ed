namespace AgentMesh.Core.Jobs.Events;

/// <summary>A worker claimed the job and started an attempt.</summary>
public sealed record JobClaimed(DateTimeOffset At, string WorkerId, long Fence, int Run, int Attempt, int FixRound) : JobEvent(At);
