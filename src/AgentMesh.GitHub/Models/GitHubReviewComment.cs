namespace AgentMesh.GitHub.Models;

/// <summary>An inline comment on a pull request's diff.</summary>
public sealed class GitHubReviewComment
{
    public long Id { get; init; }

    public long? PullRequestReviewId { get; init; }

    public string Body { get; init; } = "";

    public string Path { get; init; } = "";

    public int? Line { get; init; }

    /// <summary><c>LEFT</c> or <c>RIGHT</c>.</summary>
    public string? Side { get; init; }

    public string? CommitId { get; init; }

    public long? InReplyToId { get; init; }

    public GitHubUser? User { get; init; }

    public string? HtmlUrl { get; init; }
}
