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

        purged.ShouldBe((2, 0));
        (await world.Store.Logs.TailAsync(job.Id, 10)).Select(l => l.Text).ShouldBe(["new"]);
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
