using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Grains.Tests;

/// <summary>
/// A job grain watching its running run through the run's agent-worker grain, in a fleet of one web silo and
/// two worker silos on PostgreSQL: a run that no grain runs any more (its silo died) is reported lost to the job.
/// </summary>
public sealed class JobRunWatchTests
{
    [Fact]
    public async Task A_run_whose_worker_silo_is_killed_is_reported_lost_by_its_job_grains_reminder()
    {
        var runs = new RecordingRunHost();
        var turns = new RecordingJobTurns();
        await using var cluster = await AgentWorkerGrainTests.StartFleetAsync(runs, turns);
        var worker = cluster.Silos[1];
        var ticket = Tickets.For("job-on-killed-silo", "worker-1/1", 4);
        // Started from the worker silo, as its slot would: the run is on that silo.
        await worker.ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IAgentWorkerGrain>(ticket.WorkerKey).StartAsync(ticket);
        var job = cluster.Client.GetGrain<IJobGrain>(ticket.JobId);
        await Eventually.UntilAsync(async () => await job.GetWatchedRunAsync() == new WatchedRun("worker-1/1", 4), "the agent-worker grain to have its job grain watch the run");

        await cluster.KillSiloAsync(worker);

        // Nobody calls the job grain: its reminder finds the run gone (the job grain itself may have died with the silo).
        await Eventually.UntilAsync(() => !turns.Lost.IsEmpty, "the job grain's reminder to report the run lost", TimeSpan.FromSeconds(90));
        // A report repeated by a later tick is harmless (the job ignores a run it no longer has); a report of any other run is not.
        turns.Lost.Distinct().ShouldBe([(ticket.JobId, "worker-1/1", 4L)]);
        await Eventually.UntilAsync(async () => await job.GetWatchedRunAsync() is null, "the job grain to stop watching the lost run");
    }

    [Fact]
    public async Task The_job_grain_is_asked_to_watch_a_run_only_once_the_runs_start_is_recorded()
    {
        var runs = new RecordingRunHost { HoldStarts = true };
        var turns = new RecordingJobTurns();
        await using var cluster = await AgentWorkerGrainTests.StartFleetAsync(runs, turns);
        var ticket = Tickets.For("job-starting", "worker-3/1", 5);
        await cluster.Client.GetGrain<IAgentWorkerGrain>(ticket.WorkerKey).StartAsync(ticket);
        var job = cluster.Client.GetGrain<IJobGrain>(ticket.JobId);

        // The watch (a reminder and a write) would hold up the run's own Start turn on the job grain.
        (await job.GetWatchedRunAsync()).ShouldBeNull("the run's start is not recorded yet");
        runs.RecordStart(ticket.WorkerKey);
        await Eventually.UntilAsync(async () => await job.GetWatchedRunAsync() == new WatchedRun("worker-3/1", 5), "the run to be watched once its start is recorded");

        runs.Finish(ticket.WorkerKey);
        await Eventually.UntilAsync(async () => await job.GetWatchedRunAsync() is null, "the watch to end with the run");
    }

    [Fact]
    public async Task A_running_run_is_left_alone_and_its_watch_ends_with_it()
    {
        var runs = new RecordingRunHost();
        var turns = new RecordingJobTurns();
        await using var cluster = await AgentWorkerGrainTests.StartFleetAsync(runs, turns);
        var ticket = Tickets.For("job-running", "worker-2/1", 2);
        await cluster.Client.GetGrain<IAgentWorkerGrain>(ticket.WorkerKey).StartAsync(ticket);
        var job = cluster.Client.GetGrain<IJobGrain>(ticket.JobId);
        await Eventually.UntilAsync(async () => await job.GetWatchedRunAsync() is not null, "the run to be watched");

        (await job.CheckRunAsync("worker-2/1", 2)).ShouldBe(RunCheck.Running);
        runs.Finish(ticket.WorkerKey);

        await Eventually.UntilAsync(async () => await job.GetWatchedRunAsync() is null, "the watch to end with the run");
        turns.Lost.ShouldBeEmpty("a run that ran and ended was never lost");
    }

    [Fact]
    public async Task A_check_of_a_run_nobody_runs_reports_it_lost_and_a_watch_of_an_older_run_is_ignored()
    {
        var runs = new RecordingRunHost();
        var turns = new RecordingJobTurns();
        await using var cluster = await AgentWorkerGrainTests.StartFleetAsync(runs, turns);
        var job = cluster.Client.GetGrain<IJobGrain>("job-nowhere");
        await job.WatchRunAsync("worker-1/2", 7);
        await job.WatchRunAsync("worker-1/1", 6);
        (await job.GetWatchedRunAsync()).ShouldBe(new WatchedRun("worker-1/2", 7), "a late watch of an older run does not replace the newer one");

        (await job.CheckRunAsync("worker-1/2", 7)).ShouldBe(RunCheck.Lost);

        turns.Lost.ShouldBe([("job-nowhere", "worker-1/2", 7L)]);
        runs.Silos.ShouldBeEmpty("checking a run never starts one");
        (await job.GetWatchedRunAsync()).ShouldBeNull();
    }
}
