namespace AgentMesh.GitHub.Models;

/// <summary>The caller's permissions on a repository, as the REST API reports them.</summary>
public sealed class GitHubRepositoryPermissions
{
    public bool Admin { get; init; }

    public bool Maintain { get; init; }

    public bool Push { get; init; }

    public bool Triage { get; init; }

    public bool Pull { get; init; }
}
