using AgentMesh.Core.Jobs;

namespace AgentMesh.Core.Tenants;

/// <summary>
/// Pure changes to a <see cref="TenantState"/>, shaped after the GitHub App events that cause them
/// (installation created/deleted, installation_repositories added/removed) and the dashboard's member and
/// budget settings. Repeating an event gives the same state, because webhooks can be redelivered.
/// </summary>
public static class TenantRules
{
    /// <summary>The installation and the repos it grants (installation created). Repeats merge.</summary>
    public static TenantState AddInstallation(TenantState state, long installationId, IEnumerable<string> repos)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfLessThan(installationId, 1);
        var installations = state.Installations.Contains(installationId)
            ? state.Installations
            : [.. state.Installations.Append(installationId).Order()];
        return AddRepos(state with { Installations = installations }, installationId, repos);
    }

    /// <summary>Drops the installation and every repo it granted (installation deleted). Unknown ids change nothing.</summary>
    public static TenantState RemoveInstallation(TenantState state, long installationId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with
        {
            Installations = [.. state.Installations.Where(i => i != installationId)],
            Repos = [.. state.Repos.Where(r => r.InstallationId != installationId)],
        };
    }

    /// <summary>Repos newly granted to a known installation. Throws for an installation the tenant does not have.</summary>
    public static TenantState AddRepos(TenantState state, long installationId, IEnumerable<string> repos)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(repos);
        if (!state.Installations.Contains(installationId))
        {
            throw new TenantRuleException($"Tenant {state.Account} has no installation {installationId}.");
        }

        var added = repos.ToArray();
        var invalid = added.FirstOrDefault(r => !RepoName.IsValid(r));
        if (invalid is not null)
        {
            throw new ArgumentException($"Repo must be \"owner/name\" (was \"{invalid}\").", nameof(repos));
        }

        var fresh = added
            .Where(r => !state.OwnsRepo(r))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(r => new TenantRepo(r, installationId));
        return state with { Repos = [.. state.Repos.Concat(fresh).OrderBy(r => r.Repo, StringComparer.OrdinalIgnoreCase)] };
    }

    /// <summary>
    /// A repo an admin hands to this tenant (moved from another tenant, or named by hand in token mode). It keeps
    /// <paramref name="installationId"/> when this tenant has that installation, else it is held with
    /// <see cref="TenantRepo.ByHand"/>. A repo the tenant already has is left as it is.
    /// </summary>
    public static TenantState AssignRepo(TenantState state, string repo, long installationId = TenantRepo.ByHand)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!RepoName.IsValid(repo))
        {
            throw new ArgumentException($"Repo must be \"owner/name\" (was \"{repo}\").", nameof(repo));
        }
        if (state.OwnsRepo(repo))
        {
            return state;
        }
        var held = state.Installations.Contains(installationId) ? installationId : TenantRepo.ByHand;
        return state with { Repos = [.. state.Repos.Append(new TenantRepo(repo, held)).OrderBy(r => r.Repo, StringComparer.OrdinalIgnoreCase)] };
    }

    /// <summary>
    /// Repos an installation no longer grants (installation_repositories removed): only those the tenant holds
    /// through <paramref name="installationId"/> go; a repo assigned by hand or held through another installation
    /// stays. A change that changes nothing returns <paramref name="state"/> itself, so a redelivery writes nothing.
    /// </summary>
    public static TenantState RemoveInstallationRepos(TenantState state, long installationId, IEnumerable<string> repos)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(repos);
        var gone = repos.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var kept = state.Repos.Where(r => r.InstallationId != installationId || !gone.Contains(r.Repo)).ToArray();
        return kept.Length == state.Repos.Count ? state : state with { Repos = kept };
    }

    /// <summary>Repos no longer granted. Unknown names change nothing.</summary>
    public static TenantState RemoveRepos(TenantState state, IEnumerable<string> repos)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(repos);
        var gone = repos.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return state with { Repos = [.. state.Repos.Where(r => !gone.Contains(r.Repo))] };
    }

    /// <summary>Adds a member or changes a member's role. Refuses to demote the last admin.</summary>
    public static TenantState SetMember(TenantState state, string login, TenantRole role)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(login);
        var existing = state.FindMember(login);
        if (existing is { Role: TenantRole.Admin } && role != TenantRole.Admin)
        {
            RequireAnotherAdmin(state, existing.Login, "demote");
        }

        var members = state.Members
            .Where(m => !string.Equals(m.Login, login, StringComparison.OrdinalIgnoreCase))
            .Append(new TenantMember(existing?.Login ?? login, role))
            .OrderBy(m => m.Login, StringComparer.OrdinalIgnoreCase);
        return state with { Members = [.. members] };
    }

    /// <summary>Removes a member. Unknown logins change nothing; the last admin cannot be removed.</summary>
    public static TenantState RemoveMember(TenantState state, string login)
    {
        ArgumentNullException.ThrowIfNull(state);
        var existing = state.FindMember(login);
        if (existing is null)
        {
            return state;
        }

        if (existing.Role == TenantRole.Admin)
        {
            RequireAnotherAdmin(state, existing.Login, "remove");
        }

        return state with { Members = [.. state.Members.Where(m => m != existing)] };
    }

    /// <summary>Sets the tenant's budget after validating it.</summary>
    public static TenantState SetBudget(TenantState state, TenantBudget budget)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(budget);
        InvalidConfigurationException.ThrowIfAny(nameof(TenantBudget), budget.Validate());
        return state with { Budget = budget };
    }

    private static void RequireAnotherAdmin(TenantState state, string login, string verb)
    {
        if (!state.Members.Any(m => m.Role == TenantRole.Admin && !string.Equals(m.Login, login, StringComparison.OrdinalIgnoreCase)))
        {
            // A tenant without an admin could never be configured again from the dashboard.
            throw new TenantRuleException($"Cannot {verb} {login}: tenant {state.Account} needs at least one admin.");
        }
    }
}
