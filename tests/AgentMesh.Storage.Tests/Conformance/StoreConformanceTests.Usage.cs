using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Usage_adds_runs_of_a_repo_in_one_hour_into_one_row()
    {
        await Store.Usage.RecordAsync(new RunUsage("octo/app", Noon.AddMinutes(5), 1_000, 0.123456m, Succeeded: true));
        await Store.Usage.RecordAsync(new RunUsage("octo/app", Noon.AddMinutes(59).AddSeconds(59), 500, 1.5m, Succeeded: false));

        var hour = (await Store.Usage.ReadAsync(Noon, Noon.AddHours(1))).ShouldHaveSingleItem();
        hour.ShouldBe(new UsageHour("octo/app", Noon, 1_500, 1.623456m, Runs: 2, Succeeded: 1));
    }

    [Fact]
    public async Task Usage_keeps_repos_and_hours_apart_and_reads_a_range_in_order()
    {
        await Store.Usage.RecordAsync(new RunUsage("octo/b", Noon.AddHours(1).AddMinutes(1), 30, 0.03m, true));
        await Store.Usage.RecordAsync(new RunUsage("octo/a", Noon.AddHours(1), 20, 0.02m, true));
        await Store.Usage.RecordAsync(new RunUsage("octo/a", Noon.AddMinutes(30), 10, 0.01m, false));
        await Store.Usage.RecordAsync(new RunUsage("octo/a", Noon.AddHours(2), 40, 0.04m, true));

        var all = await Store.Usage.ReadAsync(Noon, Noon.AddHours(2));
        all.Select(h => (h.Repo, h.Hour, h.Tokens)).ShouldBe([
            ("octo/a", Noon, 10L),
            ("octo/a", Noon.AddHours(1), 20L),
            ("octo/b", Noon.AddHours(1), 30L),
        ]);

        var one = await Store.Usage.ReadAsync(Noon, Noon.AddHours(3), "octo/a");
        one.Select(h => h.Tokens).ShouldBe([10L, 20L, 40L]);
        (await Store.Usage.ReadAsync(Noon.AddHours(3), Noon.AddHours(4))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Usage_rounds_cost_to_the_millionth_of_a_dollar_and_sums_exactly()
    {
        for (var i = 0; i < 10; i++)
        {
            await Store.Usage.RecordAsync(new RunUsage("octo/app", Noon, 1, 0.1000004m, true));
        }

        var hour = (await Store.Usage.ReadAsync(Noon, Noon.AddHours(1))).ShouldHaveSingleItem();
        hour.CostUsd.ShouldBe(1.0m);
        hour.Runs.ShouldBe(10);
    }

    [Fact]
    public async Task Usage_purge_deletes_the_hours_that_ended_by_the_cutoff_of_every_repo_and_keeps_the_rest()
    {
        await Store.Usage.RecordAsync(new RunUsage("octo/a", Noon.AddHours(-2), 10, 0.01m, true));
        await Store.Usage.RecordAsync(new RunUsage("octo/b", Noon.AddHours(-1).AddMinutes(59), 20, 0.02m, true));
        await Store.Usage.RecordAsync(new RunUsage("octo/a", Noon, 30, 0.03m, true));
        await Store.Usage.RecordAsync(new RunUsage("octo/b", Noon.AddMinutes(45), 40, 0.04m, false));
        await Store.Usage.RecordAsync(new RunUsage("octo/a", Noon.AddHours(1), 50, 0.05m, true));

        // The cutoff falls inside the noon hour: the two hours before it ended by then; noon's is kept whole.
        (await Store.Usage.PurgeOlderThanAsync(Noon.AddMinutes(30))).ShouldBe(2);

        (await Store.Usage.ReadAsync(Noon.AddDays(-1), Noon.AddDays(1))).Select(h => (h.Repo, h.Hour, h.Tokens)).ShouldBe([
            ("octo/a", Noon, 30L),
            ("octo/b", Noon, 40L),
            ("octo/a", Noon.AddHours(1), 50L),
        ]);
        (await Store.Usage.PurgeOlderThanAsync(Noon.AddMinutes(30))).ShouldBe(0, "a second pass finds nothing more");
    }

    [Fact]
    public async Task Usage_purge_at_the_start_of_an_hour_takes_the_hour_that_just_ended()
    {
        await Store.Usage.RecordAsync(new RunUsage("octo/a", Noon.AddMinutes(-1), 10, 0.01m, true));
        await Store.Usage.RecordAsync(new RunUsage("octo/a", Noon, 20, 0.02m, true));

        (await Store.Usage.PurgeOlderThanAsync(Noon)).ShouldBe(1);

        (await Store.Usage.ReadAsync(Noon.AddDays(-1), Noon.AddDays(1))).ShouldHaveSingleItem().Hour.ShouldBe(Noon);
    }

    [Fact]
    public async Task Usage_records_of_concurrent_runs_are_all_counted()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Store.Usage.RecordAsync(new RunUsage("octo/app", Noon, 100, 0.01m, true))));

        var hour = (await Store.Usage.ReadAsync(Noon, Noon.AddHours(1))).ShouldHaveSingleItem();
        hour.ShouldBe(new UsageHour("octo/app", Noon, 2_000, 0.2m, 20, 20));
    }
}
