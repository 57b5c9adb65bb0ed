using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary><c>pull_request</c>: opened, synchronize, reopened, closed (merged or not).</summary>
public sealed class PullRequestEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.PullRequest;

    public int Number { get; init; }

    public GitHubPullRequest PullRequest { get; init; } = new();

    /// <summary>The head before a <c>synchronize</c>.</summary>
    public string? Before { get; init; }

    /// <summary>The head after a <c>synchronize</c>.</summary>
    public string? After { get; init; }

    /// <summary>True for <c>closed</c> with <c>merged: true</c>; a closed-unmerged PR is abandoned work.</summary>
    public bool IsMerge => Action == "closed" && PullRequest.Merged == true;
}
