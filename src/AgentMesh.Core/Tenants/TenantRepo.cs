namespace AgentMesh.Core.Tenants;

/// <summary>A repository of the tenant.</summary>
/// <param name="Repo">"owner/name".</param>
/// <param name="InstallationId">The GitHub App installation that grants access, or <see cref="ByHand"/>.</param>
public sealed record TenantRepo(string Repo, long InstallationId)
{
    /// <summary>The installation id of a repo an admin assigned to the tenant rather than an installation event (token mode, or a move).</summary>
    public const long ByHand = 0;
}
