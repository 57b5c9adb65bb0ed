namespace AgentMesh.GitHub.Models;

/// <summary>A pull request.</summary>
public sealed class GitHubPullRequest
{
    public long Id { get; init; }

    public int Number { get; init; }

    public string Title { get; init; } = "";

    public string? Body { get; init; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public string State { get; init; } = "";

    /// <summary>Whether a closed pull request was merged (null in list answers, where GitHub leaves it out).</summary>
    public bool? Merged { get; init; }

    public DateTimeOffset? MergedAt { get; init; }

    public bool Draft { get; init; }

    public GitHubUser? User { get; init; }

    public GitHubBranchRef Head { get; init; } = new();

    public GitHubBranchRef Base { get; init; } = new();

    public IReadOnlyList<GitHubLabel> Labels { get; init => field = value ?? []; } = [];

    public string? HtmlUrl { get; init; }
}
