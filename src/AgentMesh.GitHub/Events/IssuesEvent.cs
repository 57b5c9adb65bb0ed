using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary><c>issues</c>: opened, edited, labeled, unlabeled, assigned, closed, reopened.</summary>
public sealed class IssuesEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.Issues;

    public GitHubIssue Issue { get; init; } = new();

    /// <summary>The label added or removed (labeled, unlabeled).</summary>
    public GitHubLabel? Label { get; init; }

    /// <summary>The user assigned (assigned).</summary>
    public GitHubUser? Assignee { get; init; }
}
