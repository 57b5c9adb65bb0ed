namespace AgentMesh.GitHub.Models;

/// <summary>An issue (a pull request is also an issue; then <see cref="PullRequest"/> is set).</summary>
public sealed class GitHubIssue
{
    public long Id { get; init; }

    public int Number { get; init; }

    public string Title { get; init; } = "";

    public string? Body { get; init; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public string State { get; init; } = "";

    public string? StateReason { get; init; }

    public GitHubUser? User { get; init; }

    public IReadOnlyList<GitHubLabel> Labels { get; init => field = value ?? []; } = [];

    public IReadOnlyList<GitHubUser> Assignees { get; init => field = value ?? []; } = [];

    public string? HtmlUrl { get; init; }

    public string? AuthorAssociation { get; init; }

    /// <summary>Set when this issue is a pull request.</summary>
    public GitHubIssuePullRequestLink? PullRequest { get; init; }
}
