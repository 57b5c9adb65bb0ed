namespace AgentMesh.Core.Jobs;

/// <summary>The pull request a job opened (or, for a fix job, works on).</summary>
/// <param name="Number">The PR number in the job's repository.</param>
/// <param name="Url">The PR's html URL.</param>
/// <param name="HeadBranch">The branch the agent pushes to.</param>
public sealed record PullRequestLink(int Number, string Url, string HeadBranch);
