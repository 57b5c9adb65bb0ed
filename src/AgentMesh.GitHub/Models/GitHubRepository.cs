namespace AgentMesh.GitHub.Models;

/// <summary>
/// A repository. Timestamps are left out on purpose: GitHub sends them as ISO strings in most
/// payloads and as Unix seconds in push payloads, and nothing here needs them.
/// </summary>
public sealed class GitHubRepository
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    /// <summary><c>owner/name</c>: the key AgentMesh uses for a repository.</summary>
    public string FullName { get; init; } = "";

    public bool Private { get; init; }

    public GitHubUser? Owner { get; init; }

    public string? DefaultBranch { get; init; }

    public string? HtmlUrl { get; init; }

    public string? CloneUrl { get; init; }

    /// <summary>Present when the caller's token can see it (REST answers).</summary>
    public GitHubRepositoryPermissions? Permissions { get; init; }
}
