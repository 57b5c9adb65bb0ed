using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Grains.Jobs;
using AgentMesh.Grains.Workers;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using Shouldly;
using Xunit;

namespace AgentMesh.Grains.Tests;

/// <summary>Agent-worker grains in a fleet of one web silo and two worker silos, on PostgreSQL.</summary>
public sealed class AgentWorkerGrainTests
{
    [Fact]
    public async Task Agent_workers_are_placed_only_on_worker_silos_whichever_silo_asks()
    {
        var runs = new RecordingRunHost();
        await using var cluster = await StartFleetAsync(runs);
        var web = cluster.Silos[0];
        var workers = cluster.Silos.Skip(1).Select(s => s.SiloAddress).ToList();

        var fromClient = await StartRunsAsync(cluster.Client, "client", 12);
        var fromWebSilo = await StartRunsAsync(web.ServiceProvider.GetRequiredService<IGrainFactory>(), "web", 12);

        foreach (var status in fromClient.Concat(fromWebSilo))
        {
            workers.ShouldContain(status.Silo, "an agent never runs on a web-only silo");
        }
        runs.Silos.Values.ShouldAllBe(silo => workers.Contains(silo), "the run host was called on worker silos only");
        runs.Silos.Values.Distinct().Count().ShouldBe(2, "runs asked for from elsewhere are spread over the worker silos");
    }

    [Fact]
    public async Task A_worker_silo_that_claimed_a_job_runs_its_agent_itself()
    {
        var runs = new RecordingRunHost();
        await using var cluster = await StartFleetAsync(runs);
        var worker = cluster.Silos[1];

        var statuses = await StartRunsAsync(worker.ServiceProvider.GetRequiredService<IGrainFactory>(), "claimed-on-1", 10);

        statuses.ShouldAllBe(s => s.Silo == worker.SiloAddress, "the slot that claimed a job holds its place only if the run is on its own silo");
    }

    [Fact]
    public async Task A_retried_start_runs_one_agent_and_the_grain_goes_once_the_run_ended()
    {
        var runs = new RecordingRunHost();
        await using var cluster = await StartFleetAsync(runs);
        var ticket = Tickets.For("job-once", "node-1/1", 3);
        var grain = cluster.Client.GetGrain<IAgentWorkerGrain>(ticket.WorkerKey);

        var first = await grain.StartAsync(ticket);
        var second = await grain.StartAsync(ticket);

        second.ShouldBe(first);
        runs.Starts(ticket.WorkerKey).ShouldBe(1, "a second start of the same run starts nothing");
        (await grain.GetStatusAsync())!.Running.ShouldBeTrue();

        runs.Finish(ticket.WorkerKey);
        await Eventually.UntilAsync(async () => await grain.GetStatusAsync() is null or { Running: false }, "the grain to see its run end");
        await Eventually.UntilAsync(async () => await grain.GetStatusAsync() is null, "the grain to deactivate once its run ended (a new activation knows no run)");
    }

    [Fact]
    public async Task A_ticket_for_another_run_is_refused()
    {
        var runs = new RecordingRunHost();
        await using var cluster = await StartFleetAsync(runs);
        var grain = cluster.Client.GetGrain<IAgentWorkerGrain>("job-a@1");

        var refused = await Should.ThrowAsync<ArgumentException>(() => grain.StartAsync(Tickets.For("job-a", "node-1/1", 2)));

        refused.Message.ShouldContain("job-a@2");
        runs.Silos.ShouldBeEmpty();
    }

    /// <summary>Three silos: silo 0 has the web role only, silos 1 and 2 the worker role.</summary>
    internal static Task<InProcessTestCluster> StartFleetAsync(RecordingRunHost runs, RecordingJobTurns? turns = null) =>
        PostgresCluster.StartAsync(
            3,
            services =>
            {
                services.AddSingleton<IAgentRunHost>(sp => runs.On(sp));
                if (turns is not null)
                {
                    services.AddSingleton<IJobTurnHost>(turns);
                }
            },
            TimeSpan.FromSeconds(2),
            rolesOfSilo: index => index == 0 ? "web" : "worker");

    private static async Task<AgentRunStatus[]> StartRunsAsync(IGrainFactory grains, string prefix, int count) =>
        await Task.WhenAll(Enumerable.Range(1, count).Select(n =>
        {
            var ticket = Tickets.For($"{prefix}-{n}", "node/1", 1);
            return grains.GetGrain<IAgentWorkerGrain>(ticket.WorkerKey).StartAsync(ticket);
        }));
}
