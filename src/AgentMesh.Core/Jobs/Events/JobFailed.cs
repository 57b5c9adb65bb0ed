namespace AgentMesh.Core.Jobs.Events;

/// <summary>The job failed: a permanent error, or a transient one on the last attempt.</summary>
public sealed record JobFailed(DateTimeOffset At, int Attempt, string Reason, ErrorClass Classification, bool AttemptsExhausted) : JobEvent(At);
