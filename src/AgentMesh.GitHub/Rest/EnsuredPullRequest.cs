using Octokit;

namespace AgentMesh.GitHub.Rest;

/// <summary>The pull request for a head branch, and whether this call created it.</summary>
public sealed record EnsuredPullRequest(PullRequest PullRequest, bool Created);
