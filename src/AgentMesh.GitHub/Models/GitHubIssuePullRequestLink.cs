namespace AgentMesh.GitHub.Models;

/// <summary>The <c>pull_request</c> object on an issue that is a pull request.</summary>
public sealed class GitHubIssuePullRequestLink
{
    public string? Url { get; init; }

    public string? HtmlUrl { get; init; }
}
