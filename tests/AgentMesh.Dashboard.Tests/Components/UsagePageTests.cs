using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Usage;
using AgentMesh.Dashboard.Tests.Support;
using AgentMesh.Storage.Abstractions;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

public sealed class UsagePageTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public UsagePageTests()
    {
        Services.AddSingleton<IBudgetGauges>(new FixedGauges(
        [
            new BudgetGauge(BudgetGauge.Global, BudgetWindow.Hour, 500, null),
            new BudgetGauge(BudgetGauge.Global, BudgetWindow.Day, 9_000, 10_000),
            new BudgetGauge("octo/widgets", BudgetWindow.Day, 3_000, 12_000),
        ]));
    }

    [Fact]
    public async Task The_page_adds_up_runs_from_the_usage_table_by_repo_with_success_rate_and_budget_gauges()
    {
        var now = DateTimeOffset.UtcNow;
        await Seeder.Store.Usage.RecordAsync(new RunUsage("octo/widgets", now, 1_000, 0.5m, Succeeded: true));
        await Seeder.Store.Usage.RecordAsync(new RunUsage("octo/widgets", now.AddDays(-1), 2_000, 1.25m, Succeeded: false));
        await Seeder.Store.Usage.RecordAsync(new RunUsage("octo/gadgets", now, 300, 0.1m, Succeeded: true));
        // Outside the 14 days shown.
        await Seeder.Store.Usage.RecordAsync(new RunUsage("octo/widgets", now.AddDays(-20), 9_999, 9m, Succeeded: true));

        var cut = Render<UsagePage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=usage-row]").Count.ShouldBe(2), Wait);
        Cells(cut, "octo/widgets").ShouldBe(["octo/widgets", "3,000", "$1.75", "2", "1", "50%"]);
        Cells(cut, "octo/gadgets").ShouldBe(["octo/gadgets", "300", "$0.10", "1", "1", "100%"]);
        cut.Find("[data-testid=success-rate]").TextContent.ShouldBe("67%");
        cut.Find("[data-testid=usage-total]").TextContent.ShouldContain("3,300 tokens · $1.85 · 3 runs");
        Gauge(cut, "global", "hour").ShouldBe("500 · unlimited");
        Gauge(cut, "global", "day").ShouldBe("9,000 of 10,000 (90%)");
        Gauge(cut, "octo/widgets", "day").ShouldBe("3,000 of 12,000 (25%)");
        cut.Find("[data-testid=tokens-chart] svg");
        cut.Instance.Usage.Days.Count.ShouldBe(14);
    }

    [Fact]
    public void A_viewer_reads_the_same_page_and_finds_nothing_to_change()
    {
        SignInAs(DashboardRoles.Viewer);

        var cut = Render<UsagePage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=gauge]").Count.ShouldBe(3), Wait);
        cut.FindAll("button").Where(b => !b.ClassList.Contains("mud-select-input")).Select(b => b.TextContent.Trim()).ShouldAllBe(text => text.Length == 0);
    }

    [Fact]
    public void Hours_add_up_into_UTC_days_and_hours_outside_the_range_are_left_out()
    {
        var first = new DateOnly(2026, 3, 1);
        var day = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        UsageHour Hour(string repo, DateTimeOffset at, long tokens, int runs, int succeeded) => new(repo, at, tokens, tokens / 1000m, runs, succeeded);

        var usage = UsageSeries.ByDay(
            [
                Hour("b/b", day.AddHours(23), 100, 1, 1),
                Hour("a/a", day, 10, 1, 0),
                Hour("a/a", day.AddHours(5), 20, 2, 2),
                Hour("a/a", day.AddDays(2).AddHours(1), 40, 1, 1),
                Hour("a/a", day.AddDays(3), 1_000, 1, 1),
                Hour("a/a", day.AddHours(-1), 1_000, 1, 1),
            ],
            first,
            3);

        usage.Days.ShouldBe([first, first.AddDays(1), first.AddDays(2)]);
        usage.Repos.Select(r => r.Repo).ShouldBe(["a/a", "b/b"]);
        usage.Repos[0].Tokens.ShouldBe([30L, 0L, 40L]);
        usage.Repos[0].CostUsd.ShouldBe([0.03m, 0m, 0.04m]);
        usage.Repos[0].Totals.ShouldBe(new UsageTotals(70, 0.07m, 4, 3));
        usage.Total.ShouldBe(new UsageTotals(170, 0.17m, 5, 4));
        usage.Total.SuccessRate.ShouldBe(0.8);
        new UsageTotals(0, 0, 0, 0).SuccessRate.ShouldBeNull();
    }

    private static List<string> Cells(IRenderedComponent<UsagePage> cut, string repo) =>
        [.. cut.Find($"[data-testid=usage-row][data-repo='{repo}']").QuerySelectorAll("td").Select(td => td.TextContent.Trim())];

    private static string Gauge(IRenderedComponent<UsagePage> cut, string scope, string window) =>
        cut.Find($"[data-testid=gauge][data-scope='{scope}'][data-window='{window}'] [data-testid=gauge-text]").TextContent.Trim();

    private sealed class FixedGauges(IReadOnlyList<BudgetGauge> gauges) : IBudgetGauges
    {
        public Task<IReadOnlyList<BudgetGauge>> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(gauges);
    }
}
