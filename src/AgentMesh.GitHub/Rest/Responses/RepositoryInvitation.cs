using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>An invitation to collaborate on a repository, as listed by <c>GET /user/repository_invitations</c>.</summary>
public sealed class RepositoryInvitation
{
    public long Id { get; init; }

    public GitHubRepository Repository { get; init; } = new();

    public GitHubUser? Inviter { get; init; }

    public GitHubUser? Invitee { get; init; }

    /// <summary><c>read</c>, <c>write</c>, <c>admin</c>, <c>triage</c> or <c>maintain</c>.</summary>
    public string? Permissions { get; init; }

    public string? HtmlUrl { get; init; }
}
