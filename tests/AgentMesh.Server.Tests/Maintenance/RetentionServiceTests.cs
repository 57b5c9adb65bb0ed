using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Server.Maintenance;
using AgentMesh.Server.Tests.Pipeline;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Maintenance;

/// <summary>Log lines and finished jobs past their retention are deleted; newer ones are kept.</summary>
public sealed class RetentionServiceTests
{
    [Fact]
    public async Task Log_lines_older_than_the_retention_are_deleted_and_newer_ones_kept()
    {
        await using var world = await IntakeWorld.StartAsync();
        var (job, _) = await world.Jobs.CreateAsync("octo/widgets", 1, JobKind.SolveIssue, 3);
        await world.Store.Logs.AppendAsync(job.Id, [new NewLogLine("agent", "old one"), new NewLogLine("agent", "old two")]);
        world.Clock.Advance(TimeSpan.FromDays(8));
        await world.Store.Logs.AppendAsync(job.Id, [new NewLogLine("agent", "new")]);
        var retention = new RetentionService(world.Store, new RetentionOptions { LogLines = TimeSpan.FromDays(7) }, world.Clock, NullLogger<RetentionService>.Instance);

        var purged = await retention.PurgeOnceAsync();

        purged.ShouldBe((2, 0, 0));
        (await world.Store.Logs.TailAsync(job.Id, 10)).Select(l => l.Text).ShouldBe(["new"]);
    }

    [Fact]
    public async Task Usage_hours_past_their_retention_are_deleted_and_newer_ones_kept()
    {
        await using var world = await IntakeWorld.StartAsync();
        var now = world.Clock.GetUtcNow(); // 2026-11-21 10:30
        await world.Store.Usage.RecordAsync(new RunUsage("octo/widgets", now.AddDays(-40).AddHours(-1), 100, 1m, true));
        await world.Store.Usage.RecordAsync(new RunUsage("octo/gadgets", now.AddDays(-40).AddHours(-2), 200, 2m, true));
        await world.Store.Usage.RecordAsync(new RunUsage("octo/widgets", now.AddDays(-40), 300, 3m, true));
        await world.Store.Usage.RecordAsync(new RunUsage("octo/widgets", now, 400, 4m, true));
        var retention = new RetentionService(world.Store, new RetentionOptions { Usage = TimeSpan.FromDays(40) }, world.Clock, NullLogger<RetentionService>.Instance);

        var purged = await retention.PurgeOnceAsync();

        purged.ShouldBe((0, 0, 2));
        (await world.Store.Usage.ReadAsync(now.AddDays(-60), now.AddDays(1))).Select(h => h.Tokens).ShouldBe([300L, 400L]);
    }

    [Fact]
    public void Usage_retention_shorter_than_the_longest_window_read_is_refused_naming_the_key()
    {
        new RetentionOptions { Usage = TimeSpan.FromDays(30) }.Validate().ShouldBe([
            "Retention:Usage must be at least 31.00:00:00 (the dashboard's 30-day charts and a tenant's monthly cost budget read that far back), not 30.00:00:00."]);
        new RetentionOptions().Usage.ShouldBe(TimeSpan.FromDays(90));
        new RetentionOptions().Validate().ShouldBeEmpty();
    }

    [Fact]
    public async Task Finished_jobs_are_deleted_only_when_a_retention_is_set_and_only_once_past_it()
    {
        await using var world = await IntakeWorld.StartAsync();
        var (finished, _) = await world.Jobs.CreateAsync("octo/widgets", 1, JobKind.SolveIssue, 3);
        var (open, _) = await world.Jobs.CreateAsync("octo/widgets", 2, JobKind.SolveIssue, 3);
        await world.Jobs.SendAsync(finished.Id, new Stop("alice"));
        world.Clock.Advance(TimeSpan.FromDays(15));
        var keepForever = new RetentionService(world.Store, new RetentionOptions(), world.Clock, NullLogger<RetentionService>.Instance);
        var keepTwoWeeks = new RetentionService(world.Store, new RetentionOptions { FinishedJobs = TimeSpan.FromDays(14) }, world.Clock, NullLogger<RetentionService>.Instance);

        (await keepForever.PurgeOnceAsync()).Jobs.ShouldBe(0);
        (await keepTwoWeeks.PurgeOnceAsync()).Jobs.ShouldBe(1);

        (await world.Store.Jobs.GetAsync(finished.Id)).ShouldBeNull();
        (await world.Store.Jobs.GetAsync(open.Id)).ShouldNotBeNull("a queued job is never purged, however old");
    }
}
