namespace AgentMesh.Core.Jobs;

/// <summary>A person's reply to the questions the agent asked.</summary>
public sealed record ClarificationAnswer(string Author, string Text, DateTimeOffset At);
