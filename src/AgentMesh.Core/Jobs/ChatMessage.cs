namespace AgentMesh.Core.Jobs;

/// <summary>A message a person sent to a job's agent from the dashboard or a comment.</summary>
/// <param name="Id">Unique within the job; assigned from <see cref="JobActorState.NextMessageId"/>.</param>
/// <param name="Author">Login of the person.</param>
/// <param name="Text">The message.</param>
/// <param name="Kind">Plain message or interrupt.</param>
/// <param name="PostedAt">When it was posted.</param>
/// <param name="Delivered">True once the worker handed it to the agent.</param>
public sealed record ChatMessage(long Id, string Author, string Text, ChatMessageKind Kind, DateTimeOffset PostedAt, bool Delivered);
