namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The worker handed these mailbox messages to the agent.</summary>
public sealed record MarkMessagesDelivered(IReadOnlyList<long> MessageIds) : JobCommand;
