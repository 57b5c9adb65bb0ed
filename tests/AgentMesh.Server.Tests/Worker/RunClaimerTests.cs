using System.Net;
using System.Net.Http.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Repos;
using AgentMesh.Grains.Abstractions.Repos;
using AgentMesh.Server.Tests.Api;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Worker;

/// <summary>
/// A repo's run slots are its repo grain's decision (a real node, its store and its silo): claims of one repo are
/// decided one at a time against the repo's configured <c>maxConcurrentJobs</c>, whoever asks and however many at once.
/// </summary>
public sealed class RunClaimerTests
{
    [Fact]
    public async Task Slots_asking_all_at_once_get_no_more_of_a_repos_jobs_than_its_configuration_allows()
    {
        // On PostgreSQL, whose reads and writes are truly asynchronous: claims of the repo would interleave
        // between the count and the claim if the repo grain did not decide them one at a time.
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var node = await AdminApiNode.StartAsync(settings:
        [
            "--Store:Provider=postgres", $"--Store:ConnectionString={connectionString}",
            "--Silo:SiloPort=0", "--Silo:GatewayPort=0", "--Silo:AdvertisedAddress=127.0.0.1",
        ]);
        var repo = await ConfigureRepoAsync(node, maxConcurrentJobs: 2);
        var jobs = new List<JobRecord>();
        for (var number = 1; number <= 6; number++)
        {
            jobs.Add(await node.CreateJobAsync(repo, number, priority: 5_000));
        }
        var claimer = node.App.Services.GetRequiredService<RunClaimer>();

        var claims = await Task.WhenAll(jobs.Select((job, n) => claimer.ClaimAsync(job.Id, repo, $"slot-node/{n}", CancellationToken.None)));

        claims.Count(c => c.Outcome == RunClaimOutcome.Claimed).ShouldBe(2, "two run slots, six slots asking at once");
        claims.Where(c => c.Outcome != RunClaimOutcome.Claimed).ShouldAllBe(c => c.Outcome == RunClaimOutcome.RepoFull);
        (await node.Store.Jobs.CountHeldAsync(repo)).ShouldBe(2);
    }

    [Fact]
    public async Task A_slot_freed_by_a_finished_job_goes_to_the_repos_next_job_and_a_raised_limit_opens_one_more()
    {
        await using var node = await AdminApiNode.StartAsync();
        var repo = await ConfigureRepoAsync(node, maxConcurrentJobs: 1);
        var first = await node.CreateJobAsync(repo, 1, priority: 4_000);
        var second = await node.CreateJobAsync(repo, 2, priority: 4_000);
        var third = await node.CreateJobAsync(repo, 3, priority: 4_000);
        var claimer = node.App.Services.GetRequiredService<RunClaimer>();
        var running = (await claimer.ClaimAsync(first.Id, repo, "w/1", CancellationToken.None)).Ticket.ShouldNotBeNull();
        (await claimer.ClaimAsync(second.Id, repo, "w/2", CancellationToken.None)).Outcome.ShouldBe(RunClaimOutcome.RepoFull);

        // The first job ends (stopped by a person): its slot is free for the next.
        await node.Jobs.SendAsync(first.Id, new Stop("maintainer"));
        (await claimer.ClaimAsync(second.Id, repo, "w/2", CancellationToken.None)).Outcome.ShouldBe(RunClaimOutcome.Claimed);
        (await claimer.ClaimAsync(third.Id, repo, "w/3", CancellationToken.None)).Outcome.ShouldBe(RunClaimOutcome.RepoFull);

        await ConfigureRepoAsync(node, maxConcurrentJobs: 2, repo);
        (await claimer.ClaimAsync(third.Id, repo, "w/3", CancellationToken.None)).Outcome.ShouldBe(RunClaimOutcome.Claimed, "the raised limit is the repo grain's at once");
        await ConfigureRepoAsync(node, maxConcurrentJobs: 3, repo);
        (await claimer.ClaimAsync(third.Id, repo, "w/4", CancellationToken.None)).Outcome.ShouldBe(RunClaimOutcome.NotClaimable, "with a slot to spare, a held job is still never claimed twice");
        running.Fence.ShouldBe(1);
    }

    [Fact]
    public async Task The_next_claim_skips_a_full_repo_for_another_repos_job()
    {
        await using var node = await AdminApiNode.StartAsync();
        var busy = await ConfigureRepoAsync(node, maxConcurrentJobs: 1);
        var free = await ConfigureRepoAsync(node, maxConcurrentJobs: 1);
        var claimer = node.App.Services.GetRequiredService<RunClaimer>();
        var busyFirst = await node.CreateJobAsync(busy, 1, priority: 9_000_000);
        (await claimer.ClaimAsync(busyFirst.Id, busy, "w/1", CancellationToken.None)).Outcome.ShouldBe(RunClaimOutcome.Claimed);
        await node.CreateJobAsync(busy, 2, priority: 9_000_000);
        var freeJob = await node.CreateJobAsync(free, 1, priority: 8_000_000);

        var next = await claimer.ClaimNextAsync("w/2", CancellationToken.None);

        next.ShouldNotBeNull().JobId.ShouldBe(freeJob.Id, "the busy repo's waiting job ranks first but its repo has no free slot");
    }

    private static async Task<string> ConfigureRepoAsync(AdminApiNode node, int maxConcurrentJobs, string? repo = null)
    {
        repo ??= AdminApiNode.NewRepo();
        using var configured = await node.Client.PutAsJsonAsync($"/api/repos/{repo}", new RepoConfig { Enabled = true, AutoSolve = true, MaxConcurrentJobs = maxConcurrentJobs }, CoreJson.Options);
        configured.StatusCode.ShouldBe(HttpStatusCode.OK);
        return repo;
    }
}
