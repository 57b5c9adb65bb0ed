namespace AgentMesh.Core.Jobs.Events;

/// <summary>The job's pull request was merged.</summary>
public sealed record JobMerged(DateTimeOffset At, int PullRequestNumber) : JobEvent(At);
