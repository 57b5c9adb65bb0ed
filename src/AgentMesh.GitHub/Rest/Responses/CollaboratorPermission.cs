using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>Answer of <c>GET /repos/{owner}/{repo}/collaborators/{user}/permission</c>.</summary>
public sealed class CollaboratorPermission
{
    /// <summary><c>admin</c>, <c>write</c>, <c>read</c> or <c>none</c> (maintain maps to write, triage to read).</summary>
    public string Permission { get; init; } = "none";

    /// <summary>The finer role: <c>admin</c>, <c>maintain</c>, <c>write</c>, <c>triage</c>, <c>read</c>.</summary>
    public string? RoleName { get; init; }

    public GitHubUser? User { get; init; }
}
