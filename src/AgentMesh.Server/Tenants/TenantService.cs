using AgentMesh.Core.Jobs;
using AgentMesh.Core.Tenants;
using AgentMesh.Grains.Abstractions.Tenants;

namespace AgentMesh.Server.Tenants;

/// <summary>
/// The node's one way to tenants, for the admin API and the dashboard: the tenant grains, their directory, and
/// the one operation that spans two tenants (moving a repo).
/// </summary>
public sealed partial class TenantService(IGrainFactory grains, ILogger<TenantService> logger)
{
    public async Task<IReadOnlyList<TenantState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var accounts = await Directory.ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var states = await Task.WhenAll(accounts.Select(a => grains.GetGrain<ITenantGrain>(a).GetAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. states.OfType<TenantState>()];
    }

    public Task<TenantState?> GetAsync(string account, CancellationToken cancellationToken = default) =>
        Grain(account).GetAsync().WaitAsync(cancellationToken);

    /// <summary>Creates the tenant of a GitHub account or organisation; a repeat answers the existing one.</summary>
    public async Task<TenantChange> CreateAsync(string account, CancellationToken cancellationToken = default)
    {
        if (!TenantKeys.IsValid(account?.Trim()))
        {
            return TenantChange.Refused($"A tenant is a GitHub account or organisation login: letters, digits and single hyphens, at most 39 characters (was '{account}').");
        }
        var state = await Grain(account!).CreateAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        LogCreated(logger, state.Account);
        return new TenantChange(state, null);
    }

    public async Task<TenantChange> SetMemberAsync(string account, string login, TenantRole role, CancellationToken cancellationToken = default)
    {
        if (!TenantKeys.IsValid(login?.Trim()))
        {
            return TenantChange.Refused($"A member is a GitHub login: letters, digits and single hyphens, at most 39 characters (was '{login}').");
        }
        var change = await Grain(account).SetMemberAsync(login!.Trim(), role).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (change.Done)
        {
            LogMemberSet(logger, account, login, role);
        }
        return change;
    }

    public async Task<TenantChange> RemoveMemberAsync(string account, string login, CancellationToken cancellationToken = default)
    {
        var change = await Grain(account).RemoveMemberAsync(login).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (change.Done)
        {
            LogMemberRemoved(logger, account, login);
        }
        return change;
    }

    public Task<TenantChange> SetBudgetAsync(string account, TenantBudget budget, CancellationToken cancellationToken = default) =>
        Grain(account).SetBudgetAsync(budget).WaitAsync(cancellationToken);

    /// <summary>
    /// The App was installed on <paramref name="account"/>, or the installation was granted more repos: the
    /// account's tenant records the installation (if new) and the repos. An account without a tenant is refused,
    /// not created: a tenant gives its account's owner a dashboard sign-in, which only an admin hands out.
    /// </summary>
    public async Task<TenantChange> AddInstallationAsync(string account, long installationId, IReadOnlyList<string> repos, CancellationToken cancellationToken = default)
    {
        var change = await Grain(account).AddInstallationAsync(installationId, repos).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (change.Done)
        {
            LogInstallationAdded(logger, TenantKeys.For(account), installationId, repos.Count);
        }
        return change;
    }

    /// <summary>The App was uninstalled from <paramref name="account"/>: its tenant drops the installation and the repos it granted.</summary>
    public async Task<TenantChange> RemoveInstallationAsync(string account, long installationId, CancellationToken cancellationToken = default)
    {
        var change = await Grain(account).RemoveInstallationAsync(installationId).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (change.Done)
        {
            LogInstallationRemoved(logger, TenantKeys.For(account), installationId);
        }
        return change;
    }

    /// <summary>The installation on <paramref name="account"/> no longer grants <paramref name="repos"/>; repos its tenant holds otherwise stay.</summary>
    public Task<TenantChange> RemoveInstallationReposAsync(string account, long installationId, IReadOnlyList<string> repos, CancellationToken cancellationToken = default) =>
        Grain(account).RemoveInstallationReposAsync(installationId, repos).WaitAsync(cancellationToken);

    /// <summary>The tenant that holds <paramref name="repo"/>, or null when none does.</summary>
    public async Task<TenantState?> FindOwnerAsync(string repo, CancellationToken cancellationToken = default)
    {
        // Asked at every admission and before every run. A repo is nearly always its GitHub owner's tenant's (the
        // account the App is installed on): one grain call answers; only a repo moved to another tenant needs them all.
        var account = repo.Split('/')[0];
        if (TenantKeys.IsValid(account) && await GetAsync(account, cancellationToken).ConfigureAwait(false) is { } likely && likely.OwnsRepo(repo))
        {
            return likely;
        }
        return (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(t => t.OwnsRepo(repo));
    }

    /// <summary>
    /// Moves <paramref name="repo"/> to <paramref name="toAccount"/>: the target takes it first (keeping its
    /// installation when it has that one), then every other tenant lets it go. A crash between the two leaves the
    /// repo in both, never in none, and a repeat of the move finishes it.
    /// </summary>
    public async Task<TenantChange> MoveRepoAsync(string repo, string toAccount, CancellationToken cancellationToken = default)
    {
        if (!RepoName.IsValid(repo))
        {
            return TenantChange.Refused($"Repo must be \"owner/name\" (was \"{repo}\").");
        }
        var tenants = await ListAsync(cancellationToken).ConfigureAwait(false);
        var target = TenantKeys.For(toAccount);
        if (!tenants.Any(t => t.Account == target))
        {
            return TenantChange.Refused($"Tenant {target} does not exist.");
        }
        var installation = tenants
            .SelectMany(t => t.Repos)
            .FirstOrDefault(r => string.Equals(r.Repo, repo, StringComparison.OrdinalIgnoreCase))?.InstallationId ?? TenantRepo.ByHand;
        var change = await Grain(target).AssignRepoAsync(repo, installation).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!change.Done)
        {
            return change;
        }
        foreach (var other in tenants.Where(t => t.Account != target && t.OwnsRepo(repo)))
        {
            await Grain(other.Account).RemoveReposAsync([repo]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        LogRepoMoved(logger, repo, target);
        return change;
    }

    private ITenantGrain Grain(string account) => grains.GetGrain<ITenantGrain>(TenantKeys.For(account));

    private ITenantDirectoryGrain Directory => grains.GetGrain<ITenantDirectoryGrain>(0);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Account} created")]
    private static partial void LogCreated(ILogger logger, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Account}: {Login} is now {Role}")]
    private static partial void LogMemberSet(ILogger logger, string account, string login, TenantRole role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Account}: {Login} removed")]
    private static partial void LogMemberRemoved(ILogger logger, string account, string login);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Account}: installation {InstallationId} recorded with {Repos} repos")]
    private static partial void LogInstallationAdded(ILogger logger, string account, long installationId, int repos);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Account}: installation {InstallationId} removed with its repos")]
    private static partial void LogInstallationRemoved(ILogger logger, string account, long installationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Repo {Repo} moved to tenant {Account}")]
    private static partial void LogRepoMoved(ILogger logger, string repo, string account);
}
