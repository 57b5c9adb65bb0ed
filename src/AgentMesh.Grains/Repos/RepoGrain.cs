using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Repos;
using AgentMesh.Grains.Abstractions.Workers;

namespace AgentMesh.Grains.Repos;

/// <summary>
/// The repo grain: a thin shell around its <see cref="RepoActorState"/>, persisted as Core's JSON
/// (the same form the store kept it in, so an import is a copy). It decides the repo's run slots: a claim
/// counts the repo's held jobs in the job index and has the job's grain claim its run in the same turn, so claims
/// of one repo never race each other. The job's claim is a conditional write that raises its run number, so even
/// a second activation (for the moments Orleans may have one) could at worst run one job too many of the repo,
/// never one job twice.
/// </summary>
public sealed class RepoGrain(
    [PersistentState("repo", GrainStorage.Name)] IPersistentState<JsonStateHolder> stored,
    IRunClaims claims) : Grain, IRepoGrain
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
        if (await claims.CountHeldAsync(this.GetPrimaryKeyString()).ConfigureAwait(true) >= limit)
        {
            return new RunClaim(RunClaimOutcome.RepoFull);
        }
        // The job's own grain claims its run (a job grain never calls its repo grain, so this cannot deadlock).
        return await GrainFactory.GetGrain<IJobGrain>(jobId).ClaimRunAsync(owner).ConfigureAwait(true) is { } run
            ? new RunClaim(RunClaimOutcome.Claimed, new AgentRunTicket(jobId, run.Owner, run.Fence))
            : new RunClaim(RunClaimOutcome.NotClaimable);
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
