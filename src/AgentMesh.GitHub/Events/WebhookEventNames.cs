namespace AgentMesh.GitHub.Events;

/// <summary>The <c>X-GitHub-Event</c> names AgentMesh subscribes to.</summary>
public static class WebhookEventNames
{
    public const string Ping = "ping";
    public const string Push = "push";
    public const string Issues = "issues";
    public const string IssueComment = "issue_comment";
    public const string PullRequest = "pull_request";
    public const string PullRequestReview = "pull_request_review";
    public const string PullRequestReviewComment = "pull_request_review_comment";
    public const string Installation = "installation";
    public const string InstallationRepositories = "installation_repositories";
    public const string Member = "member";

    /// <summary>Every event a repository or App should subscribe to, for docs and webhook creation.</summary>
    public static IReadOnlyList<string> Subscribed { get; } =
        [Issues, IssueComment, PullRequest, PullRequestReview, PullRequestReviewComment, Installation, InstallationRepositories, Member, Push];
}
