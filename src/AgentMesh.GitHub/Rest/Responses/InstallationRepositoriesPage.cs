using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>One page of <c>GET /installation/repositories</c>.</summary>
public sealed class InstallationRepositoriesPage
{
    public int TotalCount { get; init; }

    public IReadOnlyList<GitHubRepository> Repositories { get; init => field = value ?? []; } = [];
}
