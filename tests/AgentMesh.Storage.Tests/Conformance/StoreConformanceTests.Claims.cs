using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using JobLease = AgentMesh.Storage.Abstractions.JobLease;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

/// <summary>
/// Claims: the list of claimable jobs, the claim of one named job, and the count of a repo's held jobs. Which job
/// a slot takes and whether its repo may run another is the repo grain's decision, not the store's.
/// </summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task List_claimable_orders_by_priority_then_run_after_then_created_at_then_id()
    {
        var start = Now;
        // One repo for all: the store knows no repo limit, every due job is listed.
        await EnqueueAsync(Job("z-first", id: "z-first"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        // Same priority and run-after as z-first, created later: after it, though its id sorts first.
        await EnqueueAsync(Job("y-second", id: "y-second", runAfter: start));
        // Same priority, run-after and creation time: the id decides.
        await EnqueueAsync(Job("tie-b", id: "tie-b"));
        await EnqueueAsync(Job("tie-a", id: "tie-a"));
        await EnqueueAsync(Job("high", id: "high", priority: 5));
        await EnqueueAsync(Job("early", id: "early", runAfter: start.AddMinutes(-10)));
        await EnqueueAsync(Job("negative", id: "negative", priority: -1, runAfter: start.AddHours(-1)));
        await EnqueueAsync(Job("not-due", id: "not-due", priority: 9, runAfter: Now.AddSeconds(30)));

        (await Store.Jobs.ListClaimableAsync(100)).Select(j => j.Id).ShouldBe(["high", "early", "z-first", "y-second", "tie-a", "tie-b", "negative"]);
        (await Store.Jobs.ListClaimableAsync(2)).Select(j => j.Id).ShouldBe(["high", "early"]);
        (await Store.Jobs.ListClaimableAsync(0)).ShouldBeEmpty();
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Store.Jobs.ListClaimableAsync(-1));

        // A plain read: the rows are as enqueued, nothing claimed.
        var high = (await Store.Jobs.ListClaimableAsync(1)).ShouldHaveSingleItem();
        high.ShouldBe(await Store.Jobs.GetAsync("high"));
        (high.State, high.LeaseOwner, high.Fence, high.Version).ShouldBe((JobState.Queued, (string?)null, 0L, 1L));
    }

    [Fact]
    public async Task A_job_whose_run_after_is_in_the_future_is_listed_and_claimable_only_once_the_clock_reaches_it()
    {
        var later = await EnqueueAsync(Job("later", id: "later", runAfter: Now.AddSeconds(30)));

        (await Store.Jobs.ListClaimableAsync(10)).ShouldBeEmpty();
        (await Store.Jobs.TryClaimAsync("later", "node-a")).ShouldBeNull();
        Clock.Advance(TimeSpan.FromSeconds(29));
        (await Store.Jobs.ListClaimableAsync(10)).ShouldBeEmpty();
        (await Store.Jobs.TryClaimAsync("later", "node-a")).ShouldBeNull();
        (await Store.Jobs.GetAsync("later")).ShouldBe(later);

        Clock.Advance(TimeSpan.FromSeconds(1));
        (await Store.Jobs.ListClaimableAsync(10)).Select(j => j.Id).ShouldBe(["later"]);
        (await ClaimAsync("later")).Job.ClaimedAt.ShouldBe(Now);
    }

    [Fact]
    public async Task Only_queued_jobs_and_fixing_jobs_without_owner_are_listed_and_claimable()
    {
        await EnqueueAsync(Job("queued", id: "queued"));
        await EnqueueAsync(Job("running", id: "running"));
        await ClaimAsync("running");
        await EnqueueAsync(Job("fixing-held", id: "fixing-held"));
        // A fix round its run is still working on: fixing, the lease kept.
        await Store.Jobs.TurnAsync("fixing-held", (await ClaimAsync("fixing-held")).Lease, MoveTo(JobState.Fixing));
        await EnqueueAsync(Job("fixing-free", id: "fixing-free"));
        // A fix round waiting for a worker: fixing, the lease given back.
        await Store.Jobs.TurnAsync("fixing-free", (await ClaimAsync("fixing-free")).Lease, MoveTo(JobState.Fixing, releaseLease: true));
        JobState[] others = [JobState.WaitingForReply, JobState.WaitingForApproval, JobState.PrOpened, JobState.Merged, JobState.Failed, JobState.Stopped, JobState.Closed];
        foreach (var state in others)
        {
            await EnqueueAsync(Job($"k-{state}", id: $"other-{state}"));
            await Store.Jobs.TurnAsync($"other-{state}", null, MoveTo(state));
        }
        Clock.Advance(TimeSpan.FromSeconds(1));

        (await Store.Jobs.ListClaimableAsync(100)).Select(j => (j.Id, j.State)).ShouldBe([("fixing-free", JobState.Fixing), ("queued", JobState.Queued)]);

        foreach (var id in new[] { "running", "fixing-held" }.Concat(others.Select(s => $"other-{s}")))
        {
            var before = await Store.Jobs.GetAsync(id);
            (await Store.Jobs.TryClaimAsync(id, "node-b")).ShouldBeNull($"{id} ({before!.State}) is not claimable");
            (await Store.Jobs.GetAsync(id)).ShouldBe(before, $"a refused claim of {id} writes nothing");
        }
        (await ClaimAsync("fixing-free", "node-b")).Job.State.ShouldBe(JobState.Fixing);
        (await ClaimAsync("queued", "node-b")).Job.State.ShouldBe(JobState.Running);
        (await Store.Jobs.ListClaimableAsync(100)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Try_claim_sets_running_lease_with_the_claim_time_and_increments_fence_and_version()
    {
        var queued = await EnqueueAsync(Job("k1", id: "j1"));
        Clock.Advance(TimeSpan.FromSeconds(2));

        var claimed = await ClaimAsync("j1", "node-a");

        claimed.Lease.ShouldBe(new JobLease("j1", "node-a", 1));
        claimed.Job.ShouldBe(queued with
        {
            State = JobState.Running,
            LeaseOwner = "node-a",
            ClaimedAt = Now,
            Fence = 1,
            Version = queued.Version + 1,
            UpdatedAt = Now,
        });
        (await Store.Jobs.GetAsync("j1")).ShouldBe(claimed.Job);

        // Held: a second claim, even by the same owner and however much later, is refused and writes nothing.
        Clock.Advance(TimeSpan.FromHours(2));
        (await Store.Jobs.TryClaimAsync("j1", "node-b")).ShouldBeNull();
        (await Store.Jobs.TryClaimAsync("j1", "node-a")).ShouldBeNull();
        (await Store.Jobs.GetAsync("j1")).ShouldBe(claimed.Job);
        (await Store.Jobs.ListClaimableAsync(10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_fixing_job_without_lease_is_claimable_and_stays_fixing()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        var first = await ClaimAsync("j1", "node-a");
        var released = await Store.Jobs.TurnAsync("j1", first.Lease, MoveTo(JobState.Fixing, releaseLease: true));
        released.Fence.ShouldBe(2);
        released.LeaseOwner.ShouldBeNull();
        released.ClaimedAt.ShouldBeNull();

        Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await ClaimAsync("j1", "node-b");

        second.Job.ShouldBe(released with { LeaseOwner = "node-b", ClaimedAt = Now, Fence = 3, Version = released.Version + 1, UpdatedAt = Now });
        second.Lease.ShouldBe(new JobLease("j1", "node-b", 3));
        (await Store.Jobs.TryClaimAsync("j1", "node-c")).ShouldBeNull();
    }

    [Fact]
    public async Task Try_claim_of_a_missing_job_is_null_and_empty_arguments_are_refused()
    {
        await EnqueueAsync(Job("k1", id: "j1"));

        (await Store.Jobs.TryClaimAsync("missing", "node-a")).ShouldBeNull();
        await Should.ThrowAsync<ArgumentException>(() => Store.Jobs.TryClaimAsync("", "node-a"));
        await Should.ThrowAsync<ArgumentException>(() => Store.Jobs.TryClaimAsync("j1", ""));
        await Should.ThrowAsync<ArgumentException>(() => Store.Jobs.CountHeldAsync(""));
        (await Store.Jobs.GetAsync("j1")).ShouldNotBeNull().LeaseOwner.ShouldBeNull();
    }

    [Fact]
    public async Task The_fence_goes_up_with_every_claim_and_every_release_across_re_claims()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        var fences = new List<long>();

        for (var round = 0; round < 3; round++)
        {
            var claimed = await ClaimAsync("j1", "node-a");
            claimed.Lease.Fence.ShouldBe(claimed.Job.Fence);
            fences.Add(claimed.Lease.Fence);
            var back = round % 2 == 0 ? JobState.Queued : JobState.Fixing;
            fences.Add((await Store.Jobs.TurnAsync("j1", claimed.Lease, MoveTo(back, releaseLease: true))).Fence);
        }

        fences.ShouldBe([1L, 2L, 3L, 4L, 5L, 6L]);
        (await Store.Jobs.GetAsync("j1")).ShouldNotBeNull().Version.ShouldBe(7, "enqueue 1, then +1 per claim and per turn");
    }

    [Fact]
    public async Task Count_held_counts_a_repos_jobs_holding_a_claim_ignoring_letter_case()
    {
        await EnqueueAsync(Job("r1", repo: "Octo/App", id: "running"));
        await ClaimAsync("running");
        await EnqueueAsync(Job("r2", repo: "Octo/App", id: "fixing-held"));
        await Store.Jobs.TurnAsync("fixing-held", (await ClaimAsync("fixing-held")).Lease, MoveTo(JobState.Fixing));
        await EnqueueAsync(Job("r3", repo: "Octo/App", id: "released"));
        await Store.Jobs.TurnAsync("released", (await ClaimAsync("released")).Lease, MoveTo(JobState.WaitingForReply, releaseLease: true));
        await EnqueueAsync(Job("r4", repo: "Octo/App", id: "queued"));
        await EnqueueAsync(Job("o1", repo: "octo/other", id: "other"));
        await ClaimAsync("other");

        (await Store.Jobs.CountHeldAsync("Octo/App")).ShouldBe(2);
        (await Store.Jobs.CountHeldAsync("octo/app")).ShouldBe(2, "GitHub's repository names ignore letter case");
        (await Store.Jobs.CountHeldAsync("OCTO/APP")).ShouldBe(2);
        (await Store.Jobs.CountHeldAsync("octo/other")).ShouldBe(1);
        (await Store.Jobs.CountHeldAsync("octo")).ShouldBe(0);
        (await Store.Jobs.CountHeldAsync("nobody/none")).ShouldBe(0);

        // A claim counts however old it is: only a turn releasing it takes it off the count.
        Clock.Advance(TimeSpan.FromHours(2));
        (await Store.Jobs.CountHeldAsync("octo/app")).ShouldBe(2);
        var running = (await Store.Jobs.GetAsync("running")).ShouldNotBeNull();
        await Store.Jobs.TurnAsync("running", new JobLease("running", running.LeaseOwner!, running.Fence), MoveTo(JobState.PrOpened, releaseLease: true));
        (await Store.Jobs.CountHeldAsync("octo/app")).ShouldBe(1);
        (await ClaimAsync("queued")).Job.Repo.ShouldBe("Octo/App");
        (await Store.Jobs.CountHeldAsync("octo/app")).ShouldBe(2);
    }

    [Fact]
    public async Task Purging_a_terminal_job_that_still_holds_its_claim_takes_it_off_the_count()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        await Store.Jobs.TurnAsync("j1", (await ClaimAsync("j1")).Lease, MoveTo(JobState.Merged));
        (await Store.Jobs.CountHeldAsync("octo/app")).ShouldBe(1);
        Clock.Advance(TimeSpan.FromDays(1));

        (await Store.Jobs.PurgeTerminalAsync(Now)).ShouldBe(1);

        (await Store.Jobs.CountHeldAsync("octo/app")).ShouldBe(0);
    }

    [Fact]
    public async Task Of_eight_concurrent_claims_of_one_job_from_two_stores_exactly_one_wins_each_time()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        await using var second = OpenSecondStore(Clock);
        IAgentMeshStore[] stores = [Store, second];

        for (var round = 0; round < 5; round++)
        {
            var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(() =>
                stores[n % 2].Jobs.TryClaimAsync("j1", $"node-{n}/{round}"))));

            var winner = claims.Where(c => c is not null).ShouldHaveSingleItem()!;
            // Each round: +1 for the claim, +1 for the previous round's release.
            winner.Lease.Fence.ShouldBe(2 * round + 1);
            (await Store.Jobs.GetAsync("j1")).ShouldBe(winner.Job);
            (await Store.Jobs.CountHeldAsync("octo/app")).ShouldBe(1);
            await Store.Jobs.TurnAsync("j1", winner.Lease, MoveTo(JobState.Queued, releaseLease: true));
        }
    }

    /// <summary>Claims <paramref name="jobId"/>, which the test expects to be claimable.</summary>
    protected async Task<ClaimedJob> ClaimAsync(string jobId, string owner = "node-a")
    {
        var claimed = await Store.Jobs.TryClaimAsync(jobId, owner);
        claimed.ShouldNotBeNull($"{owner} expected to claim job {jobId}");
        return claimed;
    }
}
