using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary><c>installation_repositories</c>: repositories were added to or removed from an installation.</summary>
public sealed class InstallationRepositoriesEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.InstallationRepositories;

    /// <summary><c>all</c> or <c>selected</c>.</summary>
    public string? RepositorySelection { get; init; }

    public IReadOnlyList<GitHubRepositoryRef> RepositoriesAdded { get; init => field = value ?? []; } = [];

    public IReadOnlyList<GitHubRepositoryRef> RepositoriesRemoved { get; init => field = value ?? []; } = [];
}
