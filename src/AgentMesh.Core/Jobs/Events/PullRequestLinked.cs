namespace AgentMesh.Core.Jobs.Events;

/// <summary>The job's pull request exists; the job now follows it.</summary>
public sealed record PullRequestLinked(DateTimeOffset At, int Number, string Url, string HeadBranch) : JobEvent(At);
