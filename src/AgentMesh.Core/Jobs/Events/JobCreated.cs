namespace AgentMesh.Core.Jobs.Events;

/// <summary>The job was created, queued.</summary>
public sealed record JobCreated(DateTimeOffset At, string Repo, int Number, JobKind Kind, int MaxAttempts, int MaxFixRounds) : JobEvent(At);
