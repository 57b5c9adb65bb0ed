using AgentMesh.Core.Tenants;

namespace AgentMesh.Dashboard.Tenants;

/// <summary>
/// Tenants as the dashboard needs them, implemented by the node over the tenant grains (the admin API's path):
/// who a GitHub user is at sign-in, which repos a tenant holds, and the admin panel's changes.
/// </summary>
public interface IDashboardTenants
{
    /// <summary>Every tenant with its usage, by account.</summary>
    Task<IReadOnlyList<TenantSummary>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The repos of <paramref name="account"/>; empty for a tenant that does not exist.</summary>
    Task<IReadOnlyList<string>> ReposOfAsync(string account, CancellationToken cancellationToken);

    /// <summary>The tenant and role of a GitHub user (see <see cref="TenantAccess.Decide"/>), or null when no tenant knows them.</summary>
    Task<TenantAccess?> ResolveAsync(string login, IReadOnlyList<string> organizations, CancellationToken cancellationToken);

    Task<TenantActionResult> CreateAsync(string account, CancellationToken cancellationToken);

    Task<TenantActionResult> SetMemberAsync(string account, string login, TenantRole role, CancellationToken cancellationToken);

    Task<TenantActionResult> RemoveMemberAsync(string account, string login, CancellationToken cancellationToken);

    /// <summary>Moves <paramref name="repo"/> to <paramref name="toAccount"/> from whichever tenant held it.</summary>
    Task<TenantActionResult> MoveRepoAsync(string repo, string toAccount, CancellationToken cancellationToken);
}

/// <summary>A tenant and what its repos spent.</summary>
/// <param name="TokensToday">Tokens its repos spent this UTC day (their budget ledgers).</param>
public sealed record TenantSummary(TenantState State, long TokensToday);

/// <param name="Error">The rule's reason when refused; null when done.</param>
public sealed record TenantActionResult(bool Done, string? Error)
{
    public static TenantActionResult Ok { get; } = new(true, null);

    public static TenantActionResult Refused(string reason) => new(false, reason);
}
