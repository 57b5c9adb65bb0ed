namespace AgentMesh.Core.Jobs.Events;

/// <summary>The agent asked questions (the outbox posts them as a comment); the job waits for a reply.</summary>
public sealed record ClarificationRequested(DateTimeOffset At, IReadOnlyList<string> Questions) : JobEvent(At);
