namespace AgentMesh.Core.Jobs.Commands;

/// <summary>A person answered the agent's clarification questions.</summary>
public sealed record ReplyReceived(string Author, string Text) : JobCommand;
