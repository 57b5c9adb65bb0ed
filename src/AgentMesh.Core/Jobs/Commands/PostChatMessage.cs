namespace AgentMesh.Core.Jobs.Commands;

/// <summary>A person sends a message (or an interrupt) to the job's agent.</summary>
public sealed record PostChatMessage(string Author, string Text, ChatMessageKind Kind) : JobCommand;
