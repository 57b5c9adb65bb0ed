using System.Net;
using System.Net.Http.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Repos;
using AgentMesh.Grains.Abstractions.Repos;
using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Server.Actors;
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
        (await node.Store.Jobs.ListAsync(new JobQuery(Repo: repo))).Count(j => j.LeaseOwner is not null).ShouldBe(2);
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

    [Fact]
    public async Task A_claim_whose_answer_was_lost_in_transit_is_found_on_the_jobs_row_and_not_made_twice()
    {
        await using var node = await AdminApiNode.StartAsync();
        var repo = await ConfigureRepoAsync(node, maxConcurrentJobs: 1);
        var job = await node.CreateJobAsync(repo, 1, priority: 4_000);
        var grains = new AnswerLostOnce(node.App.Services.GetRequiredService<IGrainFactory>());
        var claimer = new RunClaimer(node.Store, node.App.Services.GetRequiredService<RepoActor>(), grains);

        var claim = await claimer.ClaimAsync(job.Id, repo, "w/1", CancellationToken.None);

        grains.Claims.ShouldBe(1, "the claim was made, and its answer lost: it is not asked for again");
        claim.Outcome.ShouldBe(RunClaimOutcome.Claimed, "the slot holds the claim its lost answer made");
        var stored = await node.Store.Jobs.GetAsync(job.Id);
        (stored!.LeaseOwner, stored.Fence).ShouldBe(("w/1", 1L));
        claim.Ticket.ShouldBe(new AgentRunTicket(job.Id, "w/1", 1, new JobAsClaimed(stored.Repo, stored.DataJson)), "the row read to find the claim goes with it to the run");
    }

    [Fact]
    public async Task A_claims_ticket_carries_the_jobs_row_as_the_claim_wrote_it()
    {
        await using var node = await AdminApiNode.StartAsync();
        var repo = await ConfigureRepoAsync(node, maxConcurrentJobs: 1);
        var job = await node.CreateJobAsync(repo, 1, priority: 4_000);

        var ticket = (await node.App.Services.GetRequiredService<RunClaimer>().ClaimAsync(job.Id, repo, "w/1", CancellationToken.None)).Ticket.ShouldNotBeNull();

        var stored = (await node.Store.Jobs.GetAsync(job.Id)).ShouldNotBeNull();
        (stored.LeaseOwner, stored.Fence).ShouldBe(("w/1", 1L));
        ticket.ShouldBe(new AgentRunTicket(job.Id, "w/1", 1, new JobAsClaimed(stored.Repo, stored.DataJson)), "the run starts on the claim's row without reading it again");
    }

    [Fact]
    public async Task A_start_recorded_although_its_answer_was_lost_is_the_answer_when_sent_again()
    {
        await using var node = await AdminApiNode.StartAsync();
        var repo = await ConfigureRepoAsync(node, maxConcurrentJobs: 1);
        var job = await node.CreateJobAsync(repo, 1, priority: 4_000);
        var ticket = (await node.App.Services.GetRequiredService<RunClaimer>().ClaimAsync(job.Id, repo, "w/1", CancellationToken.None)).Ticket.ShouldNotBeNull();
        var lease = new JobLease(job.Id, ticket.Owner, ticket.Fence);
        var started = await node.Jobs.StartAsync(lease);

        var again = await node.Jobs.StartAsync(lease);

        again.State.ShouldBe(JobState.Running);
        again.Lease.ShouldBe(started.Lease, "the stored start of this very run");
        again.Attempt.ShouldBe(started.Attempt);
        await Should.ThrowAsync<StaleLeaseException>(() => node.Jobs.StartAsync(lease with { Owner = "w/2" }), "another run's start is still refused");
    }

    [Fact]
    public async Task Only_a_failure_in_transit_is_retried()
    {
        var calls = 0;
        var answer = await GrainCallRetry.Pipeline.ExecuteAsync(_ => ++calls < 3 ? throw new SiloUnavailableException("silo stopping") : ValueTask.FromResult(calls));
        answer.ShouldBe(3);

        calls = 0;
        await Should.ThrowAsync<InvalidJobTransitionException>(async () =>
            await GrainCallRetry.Pipeline.ExecuteAsync(_ => { calls++; throw new InvalidJobTransitionException("refused", "job", JobState.Running, "start"); }));
        calls.ShouldBe(1, "a refusal is the answer, not a failure in transit");
    }

    /// <summary>A grain factory whose repo grains make the first claim asked of them and then lose its answer, as a call to a silo leaving the cluster may.</summary>
    private sealed class AnswerLostOnce(IGrainFactory inner) : IGrainFactory
    {
        private int _claims;

        public int Claims => Volatile.Read(ref _claims);

        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithStringKey
        {
            var grain = inner.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);
            return grain is IRepoGrain repo ? (TGrainInterface)(object)new LosingRepoGrain(repo, this) : grain;
        }

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithGuidKey => inner.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithIntegerKey => inner.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithGuidCompoundKey => inner.GetGrain<TGrainInterface>(primaryKey, keyExtension, grainClassNamePrefix);

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithIntegerCompoundKey => inner.GetGrain<TGrainInterface>(primaryKey, keyExtension, grainClassNamePrefix);

        public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
            where TGrainObserverInterface : IGrainObserver => inner.CreateObjectReference<TGrainObserverInterface>(obj);

        public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
            where TGrainObserverInterface : IGrainObserver => inner.DeleteObjectReference<TGrainObserverInterface>(obj);

        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => inner.GetGrain(grainInterfaceType, grainPrimaryKey);

        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => inner.GetGrain(grainInterfaceType, grainPrimaryKey);

        public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => inner.GetGrain(grainInterfaceType, grainPrimaryKey);

        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => inner.GetGrain(grainInterfaceType, grainPrimaryKey, keyExtension);

        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => inner.GetGrain(grainInterfaceType, grainPrimaryKey, keyExtension);

        public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => inner.GetGrain<TGrainInterface>(grainId);

        public IAddressable GetGrain(GrainId grainId) => inner.GetGrain(grainId);

        public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey) => inner.GetGrain(grainInterfaceType, grainPrimaryKey);

        public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey, string grainClassNamePrefix) => inner.GetGrain(grainInterfaceType, grainPrimaryKey, grainClassNamePrefix);

        public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => inner.GetGrain(grainId, interfaceType);

        private sealed class LosingRepoGrain(IRepoGrain inner, AnswerLostOnce owner) : IRepoGrain
        {
            public Task<RepoActorState?> GetAsync() => inner.GetAsync();

            public Task<RepoActorState> ConfigureAsync(RepoConfig config) => inner.ConfigureAsync(config);

            public Task<RepoActorState> ImportAsync(RepoActorState state) => inner.ImportAsync(state);

            public Task<bool> DeleteAsync() => inner.DeleteAsync();

            public Task RecordUsageAsync(long tokens, DateTimeOffset at) => inner.RecordUsageAsync(tokens, at);

            public async Task<RunClaim> TryClaimRunAsync(string jobId, string slot)
            {
                var claim = await inner.TryClaimRunAsync(jobId, slot);
                if (Interlocked.Increment(ref owner._claims) == 1)
                {
                    throw new SiloUnavailableException("The target silo became unavailable for message: the claim's answer");
                }
                return claim;
            }
        }
    }

    private static async Task<string> ConfigureRepoAsync(AdminApiNode node, int maxConcurrentJobs, string? repo = null)
    {
        repo ??= AdminApiNode.NewRepo();
        using var configured = await node.Client.PutAsJsonAsync($"/api/repos/{repo}", new RepoConfig { Enabled = true, AutoSolve = true, MaxConcurrentJobs = maxConcurrentJobs }, CoreJson.Options);
        configured.StatusCode.ShouldBe(HttpStatusCode.OK);
        return repo;
    }
}
