namespace AgentMesh.Core.Jobs.Events;

/// <summary>A message entered the job's chat mailbox.</summary>
public sealed record ChatMessagePosted(DateTimeOffset At, ChatMessage Message) : JobEvent(At);
