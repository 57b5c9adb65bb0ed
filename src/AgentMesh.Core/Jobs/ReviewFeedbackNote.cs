namespace AgentMesh.Core.Jobs;

/// <summary>The review feedback that started the current fix round: what the fix agent is asked to address.</summary>
public sealed record ReviewFeedbackNote(string Author, string Text, DateTimeOffset At);
