namespace AgentMesh.Core.Jobs.Events;

/// <summary>An attempt failed transiently (or its run was lost with its silo); the next attempt may run after the backoff (at once after a lost run).</summary>
public sealed record RetryScheduled(DateTimeOffset At, int FailedAttempt, string Reason, int NextAttempt, TimeSpan Delay, DateTimeOffset RunAfter) : JobEvent(At);
