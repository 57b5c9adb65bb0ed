namespace AgentMesh.Core.Jobs;

/// <summary>What the repo actor admitted: the facts a job is created from.</summary>
/// <param name="Id">The id the store assigned.</param>
/// <param name="Repo">"owner/name".</param>
/// <param name="Number">Issue number (solve) or PR number (fix).</param>
/// <param name="Kind">Solve an issue or fix a pull request.</param>
/// <param name="MaxFixRounds">From the repo's configuration at admission time.</param>
/// <param name="PullRequest">Required for <see cref="JobKind.FixPullRequest"/>, absent for <see cref="JobKind.SolveIssue"/>.</param>
public sealed record JobSpec(string Id, string Repo, int Number, JobKind Kind, int MaxFixRounds, PullRequestLink? PullRequest = null);
