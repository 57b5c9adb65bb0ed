namespace AgentMesh.Core.Jobs.Events;

/// <summary>An attempt failed transiently (or its lease expired); the next attempt may run after the backoff.</summary>
public sealed record RetryScheduled(DateTimeOffset At, int FailedAttempt, string Reason, int NextAttempt, TimeSpan Delay, DateTimeOffset RunAfter) : JobEvent(At);
