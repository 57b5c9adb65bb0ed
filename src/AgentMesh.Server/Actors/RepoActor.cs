using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Core.Tenants;
using AgentMesh.Grains.Abstractions.Repos;
using AgentMesh.Server.Tenants;
using AgentMesh.Server.Changes;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Actors;

/// <summary>
/// The repo actor's facade over its grain (key <c>owner/name</c>): its configuration, its budget
/// ledger, and the admission decision that says whether an event becomes work. A repo with no state
/// is not configured, and admission says so: AgentMesh works only on repos someone enabled.
/// </summary>
/// <remarks>
/// Repos configured by an earlier version live in the store's <c>actors</c> table; the first read of
/// such a repo copies it into its grain (<see cref="IRepoGrain.ImportAsync"/>), after which the grain
/// is the only source of truth. The store keeps the repo's event history (configured, rejected).
/// </remarks>
/// <param name="publisher">Wakes idle worker slots when a new configuration may let more jobs run; null where
/// no worker listens (intake tests).</param>
public sealed class RepoActor(IGrainFactory grains, IAgentMeshStore store, AdmissionPolicy admission, GlobalBudget globalBudget, TenantService tenants, TimeProvider timeProvider, JobChangePublisher? publisher = null)
{
    public const string ActorType = "repo";

    public async Task<RepoActorState?> GetAsync(string repo, CancellationToken cancellationToken = default)
    {
        var grain = grains.GetGrain<IRepoGrain>(repo);
        return await grain.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false)
            ?? await ImportLegacyAsync(grain, repo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The name <paramref name="repo"/> was configured under: GitHub's repository names ignore case and our keys do
    /// not, so a webhook for <c>Octo/Widgets</c> must find the repo someone enabled as <c>octo/widgets</c> (and its
    /// jobs, budget ledger and usage). Returns <paramref name="repo"/> itself when it is configured as spelled, or
    /// when no configured repo matches it.
    /// </summary>
    public async Task<string> ConfiguredNameAsync(string repo, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(repo) || await GetAsync(repo, cancellationToken).ConfigureAwait(false) is not null)
        {
            return repo;
        }
        var names = await grains.GetGrain<IRepoDirectoryGrain>(0).ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return names.FirstOrDefault(name => string.Equals(name, repo, StringComparison.OrdinalIgnoreCase)) ?? repo;
    }

    public async Task<IReadOnlyList<(string Repo, RepoActorState State)>> ListAsync(CancellationToken cancellationToken = default)
    {
        var names = await grains.GetGrain<IRepoDirectoryGrain>(0).ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var legacy = await store.Actors.ListAsync(ActorType, cancellationToken).ConfigureAwait(false);
        var result = new List<(string, RepoActorState)>();
        foreach (var name in names.Union(legacy.Select(s => s.Key), StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (await GetAsync(name, cancellationToken).ConfigureAwait(false) is { } state)
            {
                result.Add((name, state));
            }
        }
        return result;
    }

    /// <summary>
    /// Saves the configuration (keeping the ledger); the repo grain applies its concurrency limit to claims.
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
        // Read first: a repo of an earlier version is imported before its new configuration lands.
        await GetAsync(repo, cancellationToken).ConfigureAwait(false);
        var state = await grains.GetGrain<IRepoGrain>(repo).ConfigureAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
        await store.Actors.TurnAsync(
            ActorType,
            repo,
            _ => new ActorDecision<bool>(null, [new NewEvent("repo_configured", JsonSerializer.Serialize(config, CoreJson.Options))], [], true),
            cancellationToken).ConfigureAwait(false);
        if (publisher is not null)
        {
            // A raised maxConcurrentJobs gives queued jobs of the repo a run slot: idle slots look again.
            await publisher.EveryJobMayHaveChangedAsync().ConfigureAwait(false);
        }
        return state;
    }

    public async Task<bool> DeleteAsync(string repo, CancellationToken cancellationToken = default)
    {
        var legacy = await store.Actors.DeleteAsync(ActorType, repo, cancellationToken).ConfigureAwait(false);
        var deleted = await grains.GetGrain<IRepoGrain>(repo).DeleteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return deleted || legacy;
    }

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
        // The repo would take it; the node-wide budget and the tenant's may still say "not yet" (the later window wins).
        return TokenBudget.Latest(decision, await WiderBudgetsAsync(repo, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The deferral when a budget the repo's work counts against is spent now — the repo's hourly or daily tokens,
    /// the node-wide budget, or the tenant's — else null; the later window wins. Asked again when a queued job is
    /// about to run, because budgets may have been spent since the job was admitted.
    /// </summary>
    public async Task<AdmissionDecision.Defer?> CheckBudgetsAsync(string repo, CancellationToken cancellationToken = default)
    {
        var state = await GetAsync(repo, cancellationToken).ConfigureAwait(false);
        var repoBudget = state is null
            ? null
            : TokenBudget.Check(state.Config.HourlyTokenBudget, state.Config.DailyTokenBudget, state.Ledger, timeProvider.GetUtcNow());
        return TokenBudget.Latest(repoBudget ?? (AdmissionDecision)new AdmissionDecision.Admit(), await WiderBudgetsAsync(repo, cancellationToken).ConfigureAwait(false)) as AdmissionDecision.Defer;
    }

    /// <summary>The budgets wider than the repo's its work counts against: the node-wide one and its tenant's.</summary>
    private async Task<AdmissionDecision.Defer?[]> WiderBudgetsAsync(string repo, CancellationToken cancellationToken) =>
    [
        await globalBudget.CheckAsync(cancellationToken).ConfigureAwait(false),
        await CheckTenantBudgetAsync(repo, cancellationToken).ConfigureAwait(false),
    ];

    /// <summary>
    /// The deferral when the budget of the tenant holding <paramref name="repo"/> is spent, else null. Its tokens
    /// today are its repos' budget ledgers (what the tenant panel shows); its dollars this month come from the
    /// usage read model (<c>usage_hourly</c>), the only place cost is kept per repo. Each is read only when its
    /// limit is set.
    /// </summary>
    private async Task<AdmissionDecision.Defer?> CheckTenantBudgetAsync(string repo, CancellationToken cancellationToken)
    {
        var owner = await tenants.FindOwnerAsync(repo, cancellationToken).ConfigureAwait(false);
        if (owner is null || owner.Budget == TenantBudget.Unlimited)
        {
            return null;
        }
        var now = timeProvider.GetUtcNow();
        long tokensToday = 0;
        decimal costThisMonth = 0m;
        foreach (var held in owner.Repos)
        {
            if (owner.Budget.DailyTokens is not null)
            {
                tokensToday += (await GetAsync(held.Repo, cancellationToken).ConfigureAwait(false))?.Ledger.UsedToday(now) ?? 0;
            }
            if (owner.Budget.MonthlyCostUsd is not null)
            {
                var hours = await store.Usage.ReadAsync(TenantBudget.MonthStart(now), BudgetLedger.HourStart(now).AddHours(1), held.Repo, cancellationToken).ConfigureAwait(false);
                costThisMonth += hours.Sum(h => h.CostUsd);
            }
        }
        return owner.Budget.Check(owner.Account, new TenantUsage(tokensToday, costThisMonth), now);
    }

    /// <summary>Adds a job's token usage to the repo's hourly and daily windows, and to the node-wide budget.</summary>
    public async Task RecordUsageAsync(string repo, long tokens, CancellationToken cancellationToken = default)
    {
        if (tokens <= 0)
        {
            return;
        }
        await globalBudget.RecordAsync(tokens, cancellationToken).ConfigureAwait(false);
        await grains.GetGrain<IRepoGrain>(repo).RecordUsageAsync(tokens, timeProvider.GetUtcNow()).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records one agent run: its tokens against the budgets (<see cref="RecordUsageAsync"/>), and the run
    /// in the usage read model (<c>usage_hourly</c>) the dashboard charts, success included.
    /// </summary>
    /// <param name="succeeded">The agent finished without an error.</param>
    public async Task RecordRunUsageAsync(string repo, long tokens, decimal costUsd, bool succeeded, CancellationToken cancellationToken = default)
    {
        await RecordUsageAsync(repo, tokens, cancellationToken).ConfigureAwait(false);
        await store.Usage.RecordAsync(
            new RunUsage(repo, timeProvider.GetUtcNow(), Math.Max(0, tokens), Math.Max(0m, costUsd), succeeded),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<RepoActorState?> ImportLegacyAsync(IRepoGrain grain, string repo, CancellationToken cancellationToken)
    {
        var snapshot = await store.Actors.GetAsync(ActorType, repo, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return null;
        }
        var legacy = JsonSerializer.Deserialize<RepoActorState>(snapshot.StateJson, CoreJson.Options)
            ?? throw new InvalidOperationException($"The stored state of repo {repo} is empty.");
        // The grain is the source of truth from now on: the old row is never read again once the grain has state.
        return await grain.ImportAsync(legacy).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
