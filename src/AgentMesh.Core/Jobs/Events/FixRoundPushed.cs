namespace AgentMesh.Core.Jobs.Events;

/// <summary>A fix round's commits are on the PR branch; the PR waits for review again.</summary>
public sealed record FixRoundPushed(DateTimeOffset At, int Round) : JobEvent(At);
