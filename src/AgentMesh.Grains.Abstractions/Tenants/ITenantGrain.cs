using AgentMesh.Core.Tenants;

namespace AgentMesh.Grains.Abstractions.Tenants;

/// <summary>
/// One tenant (key: the GitHub account or organisation login, lower case; see <see cref="TenantKeys"/>): its
/// members and roles, App installations, repos and budget. A thin shell over Core's <see cref="TenantRules"/>:
/// a tenant without state does not exist, and every change but <see cref="CreateAsync"/> says so.
/// </summary>
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>The tenant, or null when it was never created.</summary>
    Task<TenantState?> GetAsync();

    /// <summary>Creates the tenant (a repeat returns it unchanged) and lists it in the directory.</summary>
    Task<TenantState> CreateAsync();

    Task<TenantChange> SetMemberAsync(string login, TenantRole role);

    Task<TenantChange> RemoveMemberAsync(string login);

    Task<TenantChange> AddInstallationAsync(long installationId, IReadOnlyList<string> repos);

    Task<TenantChange> RemoveInstallationAsync(long installationId);

    /// <summary>Repos <paramref name="installationId"/> no longer grants (see <see cref="TenantRules.RemoveInstallationRepos"/>).</summary>
    Task<TenantChange> RemoveInstallationReposAsync(long installationId, IReadOnlyList<string> repos);

    /// <summary>Hands the tenant a repo (see <see cref="TenantRules.AssignRepo"/>); the caller removes it from its old tenant.</summary>
    Task<TenantChange> AssignRepoAsync(string repo, long installationId);

    Task<TenantChange> RemoveReposAsync(IReadOnlyList<string> repos);

    Task<TenantChange> SetBudgetAsync(TenantBudget budget);
}
