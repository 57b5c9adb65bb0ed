namespace AgentMesh.Core.Jobs.Events;

/// <summary>Review feedback arrived after the last allowed fix round (the outbox says so on the PR).</summary>
public sealed record ReviewFeedbackDeclined(DateTimeOffset At, string Author, string Text, int FixRoundsDone, int MaxFixRounds) : JobEvent(At);
