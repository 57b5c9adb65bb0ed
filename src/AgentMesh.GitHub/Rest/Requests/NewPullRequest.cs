namespace AgentMesh.GitHub.Rest.Requests;

/// <summary>Body of <c>POST /repos/{owner}/{repo}/pulls</c>.</summary>
/// <param name="Head">The branch with the changes (same repository: the branch name).</param>
/// <param name="Base">The branch to merge into.</param>
public sealed record NewPullRequest(string Title, string Head, string Base, string? Body = null, bool Draft = false);
