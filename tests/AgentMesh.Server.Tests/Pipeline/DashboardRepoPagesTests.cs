using AgentMesh.Core.Repos;
using AgentMesh.Dashboard.Usage;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Api.Repos;
using AgentMesh.Server.Api.Stats;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Pipeline;

/// <summary>The node's side of the dashboard's repos and usage pages, on the repo actor and the store.</summary>
public sealed class DashboardRepoPagesTests
{
    [Fact]
    public async Task A_run_counts_against_the_budgets_and_lands_in_its_repos_hour_of_the_usage_table()
    {
        await using var world = await IntakeWorld.StartAsync();
        var now = world.Clock.GetUtcNow();

        await world.Repos.RecordRunUsageAsync("octo/widgets", 1_500, 0.42m, succeeded: true);
        await world.Repos.RecordRunUsageAsync("octo/widgets", 500, 0.08m, succeeded: false);

        var hour = (await world.Store.Usage.ReadAsync(now.AddHours(-1), now.AddHours(1))).ShouldHaveSingleItem();
        hour.ShouldBe(new UsageHour("octo/widgets", UsageHours.HourOf(now), 2_000, 0.5m, Runs: 2, Succeeded: 1));
        (await world.Budget.LedgerAsync()).UsedToday(now).ShouldBe(2_000);
    }

    [Fact]
    public async Task Saving_refuses_an_invalid_configuration_with_the_admin_APIs_sentence_and_enabling_keeps_the_rest()
    {
        await using var world = await IntakeWorld.StartAsync();
        var settings = new DashboardRepoSettings(world.Repos, world.Clock, NullLogger<DashboardRepoSettings>.Instance);
        await world.Repos.SetConfigAsync("octo/widgets", new RepoConfig { Enabled = true, MaxConcurrentJobs = 3 });

        var refused = await settings.SaveAsync("octo/widgets", new RepoConfig { MaxConcurrentJobs = 0, DailyTokenBudget = -1 }, "alice", default);

        refused.Done.ShouldBeFalse();
        refused.Error.ShouldBe(RepoConfigProblems.Describe("octo/widgets", refused.Problems));
        refused.Error.ShouldBe("The configuration of octo/widgets is invalid: MaxConcurrentJobs must be between 1 and 100 (was 0). DailyTokenBudget must be positive or null for unlimited (was -1).");
        (await world.Repos.GetAsync("octo/widgets"))!.Config.MaxConcurrentJobs.ShouldBe(3);

        (await settings.SetEnabledAsync("octo/widgets", false, "alice", default)).Done.ShouldBeTrue();
        var saved = (await world.Repos.GetAsync("octo/widgets"))!.Config;
        (saved.Enabled, saved.MaxConcurrentJobs, saved.TriggerLabel).ShouldBe((false, 3, "agentmesh"));
        (await settings.SetEnabledAsync("octo/unknown", true, "alice", default)).Error.ShouldBe("Repo octo/unknown is not configured.");
        (await settings.ListAsync(default)).Select(r => (r.Repo, r.Config.Enabled)).ShouldBe([("octo/widgets", false)]);
    }

    [Fact]
    public async Task The_gauges_show_the_global_and_each_repos_spending_against_its_budgets()
    {
        var budgets = new GlobalBudgetOptions { DailyTokens = 10_000 };
        await using var world = await IntakeWorld.StartAsync(budgets);
        await world.Repos.SetConfigAsync("octo/widgets", new RepoConfig { Enabled = true, HourlyTokenBudget = 1_000 });
        await world.Repos.RecordUsageAsync("octo/widgets", 250);
        var gauges = new DashboardBudgetGauges(world.Repos, world.Budget, budgets, world.Clock);

        var all = await gauges.ReadAsync(default);

        all.ShouldBe(
        [
            new BudgetGauge(BudgetGauge.Global, BudgetWindow.Hour, 250, null),
            new BudgetGauge(BudgetGauge.Global, BudgetWindow.Day, 250, 10_000),
            new BudgetGauge("octo/widgets", BudgetWindow.Hour, 250, 1_000),
            new BudgetGauge("octo/widgets", BudgetWindow.Day, 250, null),
        ]);
        all[2].Fraction.ShouldBe(0.25);
        all[0].Fraction.ShouldBeNull();
    }
}
