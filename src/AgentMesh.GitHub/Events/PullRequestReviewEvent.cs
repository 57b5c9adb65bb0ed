using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary><c>pull_request_review</c>: submitted.</summary>
public sealed class PullRequestReviewEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.PullRequestReview;

    public GitHubReview Review { get; init; } = new();

    public GitHubPullRequest PullRequest { get; init; } = new();
}
