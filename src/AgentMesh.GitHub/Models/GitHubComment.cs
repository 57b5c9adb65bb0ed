namespace AgentMesh.GitHub.Models;

/// <summary>An issue or pull-request conversation comment.</summary>
public sealed class GitHubComment
{
    public long Id { get; init; }

    public string Body { get; init; } = "";

    public GitHubUser? User { get; init; }

    public string? HtmlUrl { get; init; }

    public string? AuthorAssociation { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
