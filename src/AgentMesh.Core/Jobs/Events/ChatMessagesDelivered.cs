namespace AgentMesh.Core.Jobs.Events;

/// <summary>The worker delivered these messages to the agent.</summary>
public sealed record ChatMessagesDelivered(DateTimeOffset At, IReadOnlyList<long> MessageIds) : JobEvent(At);
