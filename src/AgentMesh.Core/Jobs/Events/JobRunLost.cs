namespace AgentMesh.Core.Jobs.Events;

/// <summary>The run of <paramref name="WorkerId"/> with this fence was lost; a retry or a failure follows.</summary>
public sealed record JobRunLost(DateTimeOffset At, long Fence, string WorkerId) : JobEvent(At);
