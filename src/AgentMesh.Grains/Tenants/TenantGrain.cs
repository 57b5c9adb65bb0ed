using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Tenants;
using AgentMesh.Grains.Abstractions.Tenants;

namespace AgentMesh.Grains.Tenants;

/// <summary>
/// The tenant grain: loads its <see cref="TenantState"/>, asks <see cref="TenantRules"/> for the change, writes
/// the result. Persisted as Core's JSON, like the repo grain. A refused change leaves state and storage untouched.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", GrainStorage.Name)] IPersistentState<JsonStateHolder> stored) : Grain, ITenantGrain
{
    private TenantState? _state;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = stored.State.Json is { } json ? JsonSerializer.Deserialize<TenantState>(json, CoreJson.Options) : null;
        return Task.CompletedTask;
    }

    public Task<TenantState?> GetAsync() => Task.FromResult(_state);

    public async Task<TenantState> CreateAsync()
    {
        if (_state is null)
        {
            await SaveAsync(new TenantState { Account = this.GetPrimaryKeyString() }).ConfigureAwait(true);
        }
        // Also on a repeat: a directory write lost to a crash after the state write is made good here.
        await GrainFactory.GetGrain<ITenantDirectoryGrain>(0).AddAsync(this.GetPrimaryKeyString()).ConfigureAwait(true);
        return _state!;
    }

    public Task<TenantChange> SetMemberAsync(string login, TenantRole role) => ChangeAsync(s => TenantRules.SetMember(s, login, role));

    public Task<TenantChange> RemoveMemberAsync(string login) => ChangeAsync(s => TenantRules.RemoveMember(s, login));

    public Task<TenantChange> AddInstallationAsync(long installationId, IReadOnlyList<string> repos) =>
        ChangeAsync(s => TenantRules.AddInstallation(s, installationId, repos));

    public Task<TenantChange> RemoveInstallationAsync(long installationId) => ChangeAsync(s => TenantRules.RemoveInstallation(s, installationId));

    public Task<TenantChange> RemoveInstallationReposAsync(long installationId, IReadOnlyList<string> repos) =>
        ChangeAsync(s => TenantRules.RemoveInstallationRepos(s, installationId, repos));

    public Task<TenantChange> AssignRepoAsync(string repo, long installationId) => ChangeAsync(s => TenantRules.AssignRepo(s, repo, installationId));

    public Task<TenantChange> RemoveReposAsync(IReadOnlyList<string> repos) => ChangeAsync(s => TenantRules.RemoveRepos(s, repos));

    public Task<TenantChange> SetBudgetAsync(TenantBudget budget) => ChangeAsync(s => TenantRules.SetBudget(s, budget));

    private async Task<TenantChange> ChangeAsync(Func<TenantState, TenantState> rule)
    {
        if (_state is null)
        {
            return TenantChange.Refused($"Tenant {this.GetPrimaryKeyString()} does not exist.");
        }
        TenantState next;
        try
        {
            next = rule(_state);
        }
        catch (Exception ex) when (ex is TenantRuleException or InvalidConfigurationException or ArgumentException)
        {
            return TenantChange.Refused(ex.Message);
        }
        // The rules return the same instance for a change that changes nothing (a redelivered event): no write then.
        if (!ReferenceEquals(next, _state))
        {
            await SaveAsync(next).ConfigureAwait(true);
        }
        return new TenantChange(_state, null);
    }

    private async Task SaveAsync(TenantState state)
    {
        stored.State.Json = JsonSerializer.Serialize(state, CoreJson.Options);
        await stored.WriteStateAsync().ConfigureAwait(true);
        _state = state;
    }
}
