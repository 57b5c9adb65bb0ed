using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Repos;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Actors;

/// <summary>
/// The node-wide token budget: one actor (type <c>budget</c>, key <c>global</c>) holding a ledger
/// every job's usage is added to. Over budget, new work is deferred to the next window, as with
/// a repo's own budget; it never fails for it.
/// </summary>
public sealed class GlobalBudget(IAgentMeshStore store, GlobalBudgetOptions options, TimeProvider timeProvider)
{
    public const string ActorType = "budget";
    public const string Key = "global";

    /// <summary>A deferral when a global budget is spent now, else null.</summary>
    public async Task<AdmissionDecision.Defer?> CheckAsync(CancellationToken cancellationToken = default)
    {
        if (options.HourlyTokens is null && options.DailyTokens is null)
        {
            return null;
        }
        var ledger = await LedgerAsync(cancellationToken).ConfigureAwait(false);
        return TokenBudget.Check(options.HourlyTokens, options.DailyTokens, ledger, timeProvider.GetUtcNow(), scope: "global ");
    }

    public async Task<BudgetLedger> LedgerAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await store.Actors.GetAsync(ActorType, Key, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? BudgetLedger.Empty : Deserialize(snapshot.StateJson);
    }

    public async Task RecordAsync(long tokens, CancellationToken cancellationToken = default)
    {
        if (tokens <= 0)
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        await store.Actors.TurnAsync(
            ActorType,
            Key,
            snapshot =>
            {
                var ledger = snapshot is null ? BudgetLedger.Empty : Deserialize(snapshot.StateJson);
                return new ActorDecision<bool>(JsonSerializer.Serialize(ledger.Record(tokens, now), CoreJson.Options), [], [], true);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static BudgetLedger Deserialize(string json) =>
        JsonSerializer.Deserialize<BudgetLedger>(json, CoreJson.Options) ?? BudgetLedger.Empty;
}
