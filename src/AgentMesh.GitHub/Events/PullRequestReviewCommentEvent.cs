using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary><c>pull_request_review_comment</c>: created.</summary>
public sealed class PullRequestReviewCommentEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.PullRequestReviewComment;

    public GitHubReviewComment Comment { get; init; } = new();

    public GitHubPullRequest PullRequest { get; init; } = new();
}
