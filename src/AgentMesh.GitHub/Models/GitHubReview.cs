namespace AgentMesh.GitHub.Models;

/// <summary>A pull-request review.</summary>
public sealed class GitHubReview
{
    public long Id { get; init; }

    public string? Body { get; init; }

    /// <summary>Webhooks send lower case (<c>approved</c>, <c>changes_requested</c>, <c>commented</c>); REST sends upper case.</summary>
    public string State { get; init; } = "";

    public GitHubUser? User { get; init; }

    public string? CommitId { get; init; }

    public string? HtmlUrl { get; init; }
}
