namespace AgentMesh.Core.Tenants;

/// <summary>A repository the tenant's GitHub App installation can reach.</summary>
/// <param name="Repo">"owner/name".</param>
/// <param name="InstallationId">The installation that grants access.</param>
public sealed record TenantRepo(string Repo, long InstallationId);
