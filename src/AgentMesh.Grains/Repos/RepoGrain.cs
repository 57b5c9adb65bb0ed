using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Repos;

namespace AgentMesh.Grains.Repos;

/// <summary>
/// The repo grain: a thin shell around its <see cref="RepoActorState"/>, persisted as Core's JSON
/// (the same form the store kept it in, so an import is a copy). It decides the repo's run slots: a claim has the
/// job's grain claim its run within the repo's configured limit, one turn at a time, so claims of one repo never
/// race each other. The job's claim is one conditional write that counts the repo's held jobs and raises the job's
/// run number, so even a second activation (for the moments Orleans may have one) could at worst run one job too
/// many of the repo, never one job twice.
/// </summary>
public sealed class RepoGrain(
    [PersistentState("repo", GrainStorage.Name)] IPersistentState<JsonStateHolder> stored) : Grain, IRepoGrain
{
    private RepoActorState? _state;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = stored.State.Json is { } json ? JsonSerializer.Deserialize<RepoActorState>(json, CoreJson.Options) : null;
        return Task.CompletedTask;
    }

    public Task<RepoActorState?> GetAsync() => Task.FromResult(_state);

    public async Task<RepoActorState> ConfigureAsync(RepoConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        await SaveAsync(new RepoActorState(config, _state?.Ledger ?? BudgetLedger.Empty)).ConfigureAwait(true);
        await Directory.AddAsync(this.GetPrimaryKeyString()).ConfigureAwait(true);
        return _state!;
    }

    public async Task<RepoActorState> ImportAsync(RepoActorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_state is null)
        {
            await SaveAsync(state).ConfigureAwait(true);
            await Directory.AddAsync(this.GetPrimaryKeyString()).ConfigureAwait(true);
        }
        return _state!;
    }

    public async Task<bool> DeleteAsync()
    {
        if (_state is null)
        {
            return false;
        }
        _state = null;
        await stored.ClearStateAsync().ConfigureAwait(true);
        await Directory.RemoveAsync(this.GetPrimaryKeyString()).ConfigureAwait(true);
        return true;
    }

    public async Task<RunClaim> TryClaimRunAsync(string jobId, string owner)
    {
        var limit = _state?.Config.MaxConcurrentJobs ?? 1;
        // The job's own grain claims its run, counting the repo's held jobs in the same statement (a job grain never
        // calls its repo grain, so this cannot deadlock). Awaited in this turn, so the repo's next claim counts it.
        return await GrainFactory.GetGrain<IJobGrain>(jobId).ClaimRunAsync(owner, this.GetPrimaryKeyString(), limit).ConfigureAwait(true);
    }

    public async Task RecordUsageAsync(long tokens, DateTimeOffset at)
    {
        if (_state is null || tokens <= 0)
        {
            return;
        }
        await SaveAsync(_state with { Ledger = _state.Ledger.Record(tokens, at) }).ConfigureAwait(true);
    }

    private IRepoDirectoryGrain Directory => GrainFactory.GetGrain<IRepoDirectoryGrain>(0);

    private async Task SaveAsync(RepoActorState state)
    {
        stored.State.Json = JsonSerializer.Serialize(state, CoreJson.Options);
        await stored.WriteStateAsync().ConfigureAwait(true);
        _state = state;
    }
}
