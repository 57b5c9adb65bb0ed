using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using JobLease = AgentMesh.Storage.Abstractions.JobLease;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

/// <summary>
/// Claims: the list of claimable jobs, and the claim of one named job within its repo's limit (the count of the
/// repo's held jobs is the claim's own). Which job a slot takes, and the repo's limit, are the repo grain's.
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
        (await Store.Jobs.TryClaimUnlimitedAsync("later", "node-a")).ShouldBeNull();
        Clock.Advance(TimeSpan.FromSeconds(29));
        (await Store.Jobs.ListClaimableAsync(10)).ShouldBeEmpty();
        (await Store.Jobs.TryClaimUnlimitedAsync("later", "node-a")).ShouldBeNull();
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
            (await Store.Jobs.TryClaimUnlimitedAsync(id, "node-b")).ShouldBeNull($"{id} ({before!.State}) is not claimable");
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
        (await Store.Jobs.TryClaimUnlimitedAsync("j1", "node-b")).ShouldBeNull();
        (await Store.Jobs.TryClaimUnlimitedAsync("j1", "node-a")).ShouldBeNull();
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
        (await Store.Jobs.TryClaimUnlimitedAsync("j1", "node-c")).ShouldBeNull();
    }

    [Fact]
    public async Task Try_claim_of_a_missing_job_is_not_claimable_and_bad_arguments_are_refused()
    {
        await EnqueueAsync(Job("k1", id: "j1"));

        (await Store.Jobs.TryClaimAsync("missing", "node-a", "octo/app", repoLimit: 1)).ShouldBe(ClaimAttempt.NotClaimable);
        await Should.ThrowAsync<ArgumentException>(() => Store.Jobs.TryClaimAsync("", "node-a", "octo/app", 1));
        await Should.ThrowAsync<ArgumentException>(() => Store.Jobs.TryClaimAsync("j1", "", "octo/app", 1));
        await Should.ThrowAsync<ArgumentException>(() => Store.Jobs.TryClaimAsync("j1", "node-a", "", 1));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Store.Jobs.TryClaimAsync("j1", "node-a", "octo/app", -1));
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
    public async Task A_claim_is_refused_as_full_when_the_repo_holds_its_limit_of_claims_matched_ignoring_letter_case()
    {
        await EnqueueAsync(Job("r1", repo: "Octo/App", id: "running"));
        await ClaimAsync("running");
        await EnqueueAsync(Job("r2", repo: "Octo/App", id: "fixing-held"));
        // A fix round its run is still working on holds its claim too.
        await Store.Jobs.TurnAsync("fixing-held", (await ClaimAsync("fixing-held")).Lease, MoveTo(JobState.Fixing));
        await EnqueueAsync(Job("r3", repo: "Octo/App", id: "released"));
        await Store.Jobs.TurnAsync("released", (await ClaimAsync("released")).Lease, MoveTo(JobState.WaitingForReply, releaseLease: true));
        await EnqueueAsync(Job("r4", repo: "Octo/App", id: "queued"));
        await EnqueueAsync(Job("o1", repo: "octo/other", id: "other"));
        await ClaimAsync("other");
        var queued = await Store.Jobs.GetAsync("queued");

        foreach (var repo in new[] { "Octo/App", "octo/app", "OCTO/APP" })
        {
            // Two of Octo/App's jobs hold a claim (released and octo/other's do not count): GitHub's names ignore letter case.
            (await Store.Jobs.TryClaimAsync("queued", "node-b", repo, repoLimit: 2)).ShouldBe(ClaimAttempt.Full, $"{repo} holds 2 of 2");
            (await Store.Jobs.TryClaimAsync("queued", "node-b", repo, repoLimit: 1)).ShouldBe(ClaimAttempt.Full, $"{repo} holds more than 1");
        }
        (await Store.Jobs.TryClaimAsync("queued", "node-b", "octo/app", repoLimit: 0)).ShouldBe(ClaimAttempt.Full, "a repo with no run slots is always full");
        (await Store.Jobs.GetAsync("queued")).ShouldBe(queued, "a refused claim writes nothing");

        // A claim counts however old it is: only a turn releasing it frees the slot.
        Clock.Advance(TimeSpan.FromHours(2));
        (await Store.Jobs.TryClaimAsync("queued", "node-b", "octo/app", repoLimit: 2)).ShouldBe(ClaimAttempt.Full);
        var running = (await Store.Jobs.GetAsync("running")).ShouldNotBeNull();
        await Store.Jobs.TurnAsync("running", new JobLease("running", running.LeaseOwner!, running.Fence), MoveTo(JobState.PrOpened, releaseLease: true));

        var attempt = await Store.Jobs.TryClaimAsync("queued", "node-b", "OCTO/APP", repoLimit: 2);
        attempt.RepoFull.ShouldBeFalse();
        var claimed = attempt.Claimed.ShouldNotBeNull("one of two slots is free");
        (claimed.Job.Repo, claimed.Job.State, claimed.Lease).ShouldBe(("Octo/App", JobState.Running, new JobLease("queued", "node-b", 1L)));
        claimed.Job.ShouldBe(await Store.Jobs.GetAsync("queued"), "the answer is the claimed row");
        (await Store.Jobs.HeldCountAsync("octo/app")).ShouldBe(2);
    }

    [Fact]
    public async Task A_claim_within_the_repos_limit_claims_and_counts_only_that_repo()
    {
        await EnqueueAsync(Job("a1", repo: "octo/app", id: "held"));
        await ClaimAsync("held");
        await EnqueueAsync(Job("o1", repo: "octo/other", id: "other-held"));
        await ClaimAsync("other-held");
        await EnqueueAsync(Job("o2", repo: "octo/other", id: "other-queued"));
        await EnqueueAsync(Job("a2", repo: "octo/app", id: "queued"));

        // octo/app holds 1: a limit of 2 leaves a slot; octo/other's claims and a repo whose name it starts with do not count.
        (await Store.Jobs.TryClaimAsync("other-queued", "node-b", "octo", repoLimit: 1)).Claimed.ShouldNotBeNull("no job of repo \"octo\" holds a claim");
        var attempt = await Store.Jobs.TryClaimAsync("queued", "node-b", "octo/app", repoLimit: 2);

        attempt.ShouldBe(ClaimAttempt.Of(attempt.Claimed.ShouldNotBeNull()));
        attempt.Claimed.Job.LeaseOwner.ShouldBe("node-b");
        (await Store.Jobs.TryClaimAsync("queued", "node-c", "octo/app", repoLimit: 3)).ShouldBe(ClaimAttempt.NotClaimable, "claimed once, with a slot to spare it is still never claimed twice");
    }

    [Fact]
    public async Task A_job_not_claimable_is_answered_not_claimable_not_full_while_its_repo_has_a_slot()
    {
        await EnqueueAsync(Job("a1", repo: "octo/app", id: "held"));
        await ClaimAsync("held");
        await EnqueueAsync(Job("a2", repo: "octo/app", id: "later", runAfter: Now.AddMinutes(5)));
        await EnqueueAsync(Job("a3", repo: "octo/app", id: "merged"));
        await Store.Jobs.TurnAsync("merged", null, MoveTo(JobState.Merged));

        foreach (var id in new[] { "held", "later", "merged", "missing" })
        {
            (await Store.Jobs.TryClaimAsync(id, "node-b", "octo/app", repoLimit: 5)).ShouldBe(ClaimAttempt.NotClaimable, $"{id} is not claimable, and octo/app holds 1 of 5");
        }
        // With the repo full as well, the repo is what the slot is told: it skips the repo's other jobs for the pass.
        (await Store.Jobs.TryClaimAsync("later", "node-b", "octo/app", repoLimit: 1)).ShouldBe(ClaimAttempt.Full);
    }

    [Fact]
    public async Task Purging_a_terminal_job_that_still_holds_its_claim_takes_it_off_the_count()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        await Store.Jobs.TurnAsync("j1", (await ClaimAsync("j1")).Lease, MoveTo(JobState.Merged));
        (await Store.Jobs.HeldCountAsync("octo/app")).ShouldBe(1);
        Clock.Advance(TimeSpan.FromDays(1));

        (await Store.Jobs.PurgeTerminalAsync(Now)).ShouldBe(1);

        (await Store.Jobs.HeldCountAsync("octo/app")).ShouldBe(0);
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
                stores[n % 2].Jobs.TryClaimAsync("j1", $"node-{n}/{round}", "octo/app", repoLimit: 1))));

            // A loser is answered full or not claimable, depending on whether its count saw the winner's claim.
            var winner = claims.Select(c => c.Claimed).Where(c => c is not null).ShouldHaveSingleItem()!;
            // Each round: +1 for the claim, +1 for the previous round's release.
            winner.Lease.Fence.ShouldBe(2 * round + 1);
            (await Store.Jobs.GetAsync("j1")).ShouldBe(winner.Job);
            (await Store.Jobs.HeldCountAsync("octo/app")).ShouldBe(1);
            await Store.Jobs.TurnAsync("j1", winner.Lease, MoveTo(JobState.Queued, releaseLease: true));
        }
    }

    /// <summary>Claims <paramref name="jobId"/>, which the test expects to be claimable.</summary>
    protected async Task<ClaimedJob> ClaimAsync(string jobId, string owner = "node-a")
    {
        var claimed = await Store.Jobs.TryClaimUnlimitedAsync(jobId, owner);
        claimed.ShouldNotBeNull($"{owner} expected to claim job {jobId}");
        return claimed;
    }
}
