namespace AgentMesh.Core.Tenants;

/// <summary>The tenant a person signs in to, and their role in it.</summary>
public sealed record TenantAccess(string Account, TenantRole Role)
{
    /// <summary>
    /// Which tenant and role a GitHub user gets, from their login and the organisations they belong to. Per tenant:
    /// an entry in its members wins; else the tenant of the user's own account makes them its admin (they own it);
    /// else membership of the tenant's organisation makes them a viewer. Of several tenants the highest role wins,
    /// then the user's own account, then the first by name. Null when no tenant knows them.
    /// </summary>
    public static TenantAccess? Decide(IEnumerable<TenantState> tenants, string login, IEnumerable<string> organizations)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentException.ThrowIfNullOrWhiteSpace(login);
        ArgumentNullException.ThrowIfNull(organizations);
        var orgs = organizations.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var candidates = new List<(TenantAccess Access, bool Own)>();
        foreach (var tenant in tenants)
        {
            var own = string.Equals(tenant.Account, login, StringComparison.OrdinalIgnoreCase);
            TenantRole? role = tenant.FindMember(login)?.Role
                ?? (own ? TenantRole.Admin : orgs.Contains(tenant.Account) ? TenantRole.Viewer : null);
            if (role is { } found)
            {
                candidates.Add((new TenantAccess(tenant.Account, found), own));
            }
        }
        return candidates
            .OrderByDescending(c => c.Access.Role)
            .ThenByDescending(c => c.Own)
            .ThenBy(c => c.Access.Account, StringComparer.OrdinalIgnoreCase)
            .Select(c => c.Access)
            .FirstOrDefault();
    }
}
