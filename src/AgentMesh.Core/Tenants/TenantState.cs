namespace AgentMesh.Core.Tenants;

/// <summary>
/// The tenant actor's state (key: the GitHub account, user or organisation): its App installations, the repos they
/// grant, its members and its budget. Immutable; <see cref="TenantRules"/> returns changed copies.
/// </summary>
public sealed record TenantState
{
    /// <summary>The GitHub account login.</summary>
    public required string Account { get; init; }

    /// <summary>Installation ids of the GitHub App on this account, ascending.</summary>
    public IReadOnlyList<long> Installations { get; init; } = [];

    /// <summary>Repos reachable through the installations, ordered by name.</summary>
    public IReadOnlyList<TenantRepo> Repos { get; init; } = [];

    /// <summary>Members, ordered by login.</summary>
    public IReadOnlyList<TenantMember> Members { get; init; } = [];

    /// <summary>Tenant-wide limits.</summary>
    public TenantBudget Budget { get; init; } = TenantBudget.Unlimited;

    /// <summary>The member with this login (case-insensitive), or null.</summary>
    public TenantMember? FindMember(string login) =>
        Members.FirstOrDefault(m => string.Equals(m.Login, login, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the repo belongs to this tenant (case-insensitive, as GitHub names are).</summary>
    public bool OwnsRepo(string repo) => Repos.Any(r => string.Equals(r.Repo, repo, StringComparison.OrdinalIgnoreCase));
}
