using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Tenants;

namespace AgentMesh.Dashboard.Tests.Support;

/// <summary>Tenants held in memory, changed through Core's real rules, as the node's tenant grains would.</summary>
internal sealed class FakeTenants : IDashboardTenants
{
    private readonly Dictionary<string, TenantState> _tenants = new(StringComparer.OrdinalIgnoreCase);

    public void Add(TenantState state)
    {
        lock (_tenants)
        {
            _tenants[state.Account] = state;
        }
    }

    public TenantState? Get(string account)
    {
        lock (_tenants)
        {
            return _tenants.GetValueOrDefault(account);
        }
    }

    public Task<IReadOnlyList<TenantSummary>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_tenants)
        {
            return Task.FromResult<IReadOnlyList<TenantSummary>>([.. _tenants.Values.OrderBy(t => t.Account, StringComparer.Ordinal).Select(t => new TenantSummary(t, 1234))]);
        }
    }

    public Task<IReadOnlyList<string>> ReposOfAsync(string account, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Get(account)?.Repos.Select(r => r.Repo).ToList() ?? []);

    public Task<TenantAccess?> ResolveAsync(string login, IReadOnlyList<string> organizations, CancellationToken cancellationToken)
    {
        lock (_tenants)
        {
            return Task.FromResult(TenantAccess.Decide([.. _tenants.Values], login, organizations));
        }
    }

    public Task<TenantActionResult> CreateAsync(string account, CancellationToken cancellationToken)
    {
        lock (_tenants)
        {
            _tenants.TryAdd(account, new TenantState { Account = account });
        }
        return Task.FromResult(TenantActionResult.Ok);
    }

    public Task<TenantActionResult> SetMemberAsync(string account, string login, TenantRole role, CancellationToken cancellationToken) =>
        Change(account, s => TenantRules.SetMember(s, login, role));

    public Task<TenantActionResult> RemoveMemberAsync(string account, string login, CancellationToken cancellationToken) =>
        Change(account, s => TenantRules.RemoveMember(s, login));

    public Task<TenantActionResult> MoveRepoAsync(string repo, string toAccount, CancellationToken cancellationToken)
    {
        lock (_tenants)
        {
            foreach (var other in _tenants.Values.Where(t => t.OwnsRepo(repo)).ToList())
            {
                _tenants[other.Account] = TenantRules.RemoveRepos(other, [repo]);
            }
        }
        return Change(toAccount, s => TenantRules.AssignRepo(s, repo));
    }

    private Task<TenantActionResult> Change(string account, Func<TenantState, TenantState> rule)
    {
        lock (_tenants)
        {
            if (!_tenants.TryGetValue(account, out var state))
            {
                return Task.FromResult(TenantActionResult.Refused($"Tenant {account} does not exist."));
            }
            try
            {
                _tenants[account] = rule(state);
                return Task.FromResult(TenantActionResult.Ok);
            }
            catch (TenantRuleException ex)
            {
                return Task.FromResult(TenantActionResult.Refused(ex.Message));
            }
        }
    }
}
