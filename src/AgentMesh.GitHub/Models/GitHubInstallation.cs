namespace AgentMesh.GitHub.Models;

/// <summary>A GitHub App installation (full in <c>installation</c> events, just the id in others).</summary>
public sealed class GitHubInstallation
{
    public long Id { get; init; }

    public GitHubUser? Account { get; init; }

    public long? AppId { get; init; }

    /// <summary><c>all</c> or <c>selected</c>.</summary>
    public string? RepositorySelection { get; init; }

    public string? TargetType { get; init; }
}
