using AgentMesh.Dashboard.Usage;
using AgentMesh.Server.Actors;

namespace AgentMesh.Server.Api.Stats;

/// <summary>
/// The usage page's budget gauges, from the ledgers admission decides by (each repo's, and the
/// node-wide one), so a gauge at 100% is the point where new work is deferred.
/// </summary>
public sealed class DashboardBudgetGauges(RepoActor repos, GlobalBudget global, GlobalBudgetOptions globalOptions, TimeProvider timeProvider) : IBudgetGauges
{
    public async Task<IReadOnlyList<BudgetGauge>> ReadAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var ledger = await global.LedgerAsync(cancellationToken).ConfigureAwait(false);
        var gauges = new List<BudgetGauge>
        {
            new(BudgetGauge.Global, BudgetWindow.Hour, ledger.UsedThisHour(now), globalOptions.HourlyTokens),
            new(BudgetGauge.Global, BudgetWindow.Day, ledger.UsedToday(now), globalOptions.DailyTokens),
        };
        foreach (var (repo, state) in await repos.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            gauges.Add(new(repo, BudgetWindow.Hour, state.Ledger.UsedThisHour(now), state.Config.HourlyTokenBudget));
            gauges.Add(new(repo, BudgetWindow.Day, state.Ledger.UsedToday(now), state.Config.DailyTokenBudget));
        }
        return gauges;
    }
}
