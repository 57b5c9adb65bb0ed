using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Actors;

/// <summary>
/// The repo actor's facade (key <c>owner/name</c>): its configuration, its budget ledger, and the
/// admission decision that says whether an event becomes work. A repo with no saved state is not
/// configured, and admission says so: AgentMesh works only on repos someone enabled.
/// </summary>
public sealed class RepoActor(IAgentMeshStore store, AdmissionPolicy admission, GlobalBudget globalBudget, TimeProvider timeProvider)
{
    public const string ActorType = "repo";

    public async Task<RepoActorState?> GetAsync(string repo, CancellationToken cancellationToken = default)
    {
        var snapshot = await store.Actors.GetAsync(ActorType, repo, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : Deserialize(snapshot.StateJson);
    }

    public async Task<IReadOnlyList<(string Repo, RepoActorState State)>> ListAsync(CancellationToken cancellationToken = default)
    {
        var snapshots = await store.Actors.ListAsync(ActorType, cancellationToken).ConfigureAwait(false);
        return [.. snapshots.Select(s => (s.Key, Deserialize(s.StateJson)))];
    }

    /// <summary>
    /// Saves the configuration (keeping the ledger) and applies its concurrency limit to claims.
    /// Throws <see cref="InvalidConfigurationException"/> listing every problem when it is not valid.
    /// </summary>
    public async Task<RepoActorState> SetConfigAsync(string repo, RepoConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidConfigurationException($"Repo {repo}", problems);
        }
        var result = await store.Actors.TurnAsync(
            ActorType,
            repo,
            snapshot =>
            {
                var ledger = snapshot is null ? BudgetLedger.Empty : Deserialize(snapshot.StateJson).Ledger;
                var state = new RepoActorState(config, ledger);
                return new ActorDecision<RepoActorState>(Serialize(state), [new NewEvent("repo_configured", JsonSerializer.Serialize(config, CoreJson.Options))], [], state);
            },
            cancellationToken).ConfigureAwait(false);
        await store.Jobs.SetRepoConcurrencyAsync(repo, config.MaxConcurrentJobs, cancellationToken).ConfigureAwait(false);
        return result.Result;
    }

    public Task<bool> DeleteAsync(string repo, CancellationToken cancellationToken = default) =>
        store.Actors.DeleteAsync(ActorType, repo, cancellationToken);

    /// <summary>
    /// Decides whether the event becomes work. The per-repo concurrency limit is enforced by the
    /// claim (jobs wait queued), so admission is asked with no running jobs: it never defers for it.
    /// </summary>
    public async Task<AdmissionDecision> AdmitAsync(string repo, TriggerFacts facts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var state = await GetAsync(repo, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return new AdmissionDecision.Reject(RejectReason.Disabled, $"{repo} is not configured in AgentMesh.");
        }
        var decision = admission.Decide(state.Config, state.Ledger, facts with { RunningJobs = 0 }, timeProvider.GetUtcNow());
        if (decision is AdmissionDecision.Reject)
        {
            return decision;
        }
        // The repo would take it; the node-wide budget may still say "not yet" (the later window wins).
        var global = await globalBudget.CheckAsync(cancellationToken).ConfigureAwait(false);
        return global is not null && (decision is not AdmissionDecision.Defer repoDefer || global.RetryAt > repoDefer.RetryAt)
            ? global
            : decision;
    }

    /// <summary>Adds a job's token usage to the repo's hourly and daily windows, and to the node-wide budget.</summary>
    public async Task RecordUsageAsync(string repo, long tokens, CancellationToken cancellationToken = default)
    {
        if (tokens <= 0)
        {
            return;
        }
        await globalBudget.RecordAsync(tokens, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        await store.Actors.TurnAsync<bool>(
            ActorType,
            repo,
            snapshot =>
            {
                if (snapshot is null)
                {
                    return new ActorDecision<bool>(null, [], [], false);
                }
                var state = Deserialize(snapshot.StateJson);
                var updated = state with { Ledger = state.Ledger.Record(tokens, now) };
                return new ActorDecision<bool>(Serialize(updated), [], [], true);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static RepoActorState Deserialize(string json) =>
        JsonSerializer.Deserialize<RepoActorState>(json, CoreJson.Options)
        ?? throw new InvalidOperationException("A repo actor row holds no state.");

    private static string Serialize(RepoActorState state) => JsonSerializer.Serialize(state, CoreJson.Options);
}
