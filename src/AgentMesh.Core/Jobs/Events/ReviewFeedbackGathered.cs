namespace AgentMesh.Core.Jobs.Events;

/// <summary>
/// Review feedback arrived during a fix round and was added to it (<paramref name="Into"/> <c>round</c>:
/// the round's own notes, or the same review's part the running agent already has in hand) or kept
/// for the next round (<c>next_round</c>): never sent into the running agent as chat.
/// </summary>
public sealed record ReviewFeedbackGathered(DateTimeOffset At, string Author, string Text, long? ReviewId, string Into) : JobEvent(At);
