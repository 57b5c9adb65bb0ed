namespace AgentMesh.Core.Jobs.Events;

/// <summary>A person answered; the job is queued to continue with the answer.</summary>
public sealed record ReplyAccepted(DateTimeOffset At, string Author, string Text) : JobEvent(At);
