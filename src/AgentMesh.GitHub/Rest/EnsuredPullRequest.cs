using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Rest;

/// <summary>The pull request for a head branch, and whether this call created it.</summary>
public sealed record EnsuredPullRequest(GitHubPullRequest PullRequest, bool Created);
