namespace AgentMesh.Core.Jobs.Events;

/// <summary>Review feedback started a fix round on the PR branch.</summary>
public sealed record FixRoundStarted(DateTimeOffset At, int Round, string Author, string Text) : JobEvent(At);
