using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary><c>issue_comment</c>: created, edited (on an issue or a pull request's conversation).</summary>
public sealed class IssueCommentEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.IssueComment;

    public GitHubIssue Issue { get; init; } = new();

    public GitHubComment Comment { get; init; } = new();
}
