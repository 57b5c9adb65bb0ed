using System.Security.Claims;
using AgentMesh.Dashboard.Auth;

namespace AgentMesh.Dashboard.Tenants;

/// <summary>
/// The repos a signed-in person may see and touch: every repo for an admin and for a session without a tenant
/// (a sign-in link, as before tenants), else only the repos of their tenant.
/// </summary>
public sealed class TenantScope
{
    private readonly HashSet<string>? _repos;

    private TenantScope(string? tenant, IEnumerable<string>? repos)
    {
        Tenant = tenant;
        _repos = repos?.ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>No restriction.</summary>
    public static TenantScope Everything { get; } = new(null, null);

    /// <summary>The tenant the person belongs to; null when the scope is <see cref="Everything"/>.</summary>
    public string? Tenant { get; }

    public bool IsRestricted => _repos is not null;

    /// <summary>The repos of a restricted scope, ordered; empty for <see cref="Everything"/>.</summary>
    public IReadOnlyList<string> Repos => _repos is null ? [] : [.. _repos.Order(StringComparer.OrdinalIgnoreCase)];

    public bool Allows(string repo) => _repos is null || _repos.Contains(repo);

    public static TenantScope Of(string tenant, IEnumerable<string> repos) => new(tenant, repos);
}

/// <summary>Works out a person's <see cref="TenantScope"/>; the repos are read when asked, so a moved repo moves with its tenant.</summary>
public sealed class TenantScopes(IDashboardTenants tenants)
{
    public async Task<TenantScope> ForAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(DashboardRoles.Admin) || user.FindFirst(DashboardClaims.Tenant)?.Value is not { Length: > 0 } tenant)
        {
            return TenantScope.Everything;
        }
        return TenantScope.Of(tenant, await tenants.ReposOfAsync(tenant, cancellationToken).ConfigureAwait(false));
    }
}
