using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using JobLease = AgentMesh.Storage.Abstractions.JobLease;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Enqueue_creates_a_queued_job_at_attempt_1_without_lease_and_fence_0()
    {
        var result = await Store.Jobs.EnqueueAsync(new NewJob("job-1", "octo/app", "octo/app#1:solve", "solve", """{"issue":1}""", 5, 4));

        result.Created.ShouldBeTrue();
        result.Job.ShouldBe(new JobRecord(
            "job-1", "octo/app", "octo/app#1:solve", "solve", JobState.Queued, 5, Now, 1, 4, null, null, 0, 1, """{"issue":1}""", Now, Now));
        (await Store.Jobs.GetAsync("job-1")).ShouldBe(result.Job);
        (await Store.Jobs.FindByNaturalKeyAsync("octo/app#1:solve")).ShouldBe(result.Job);
        (await Store.Jobs.GetAsync("missing")).ShouldBeNull();
        (await Store.Jobs.FindByNaturalKeyAsync("missing")).ShouldBeNull();
    }

    [Fact]
    public async Task Enqueue_generates_distinct_ids_when_none_is_given()
    {
        var a = await EnqueueAsync(Job("k1"));
        var b = await EnqueueAsync(Job("k2"));

        a.Id.ShouldNotBeNullOrWhiteSpace();
        b.Id.ShouldNotBeNullOrWhiteSpace();
        a.Id.ShouldNotBe(b.Id);
    }

    [Fact]
    public async Task Enqueue_with_an_existing_natural_key_returns_the_existing_job_and_creates_nothing()
    {
        var original = await EnqueueAsync(Job("octo/app#1:solve", id: "first", dataJson: """{"v":1}"""));
        Clock.Advance(TimeSpan.FromSeconds(1));

        var again = await Store.Jobs.EnqueueAsync(Job("octo/app#1:solve", id: "second", dataJson: """{"v":2}""", priority: 9));

        again.Created.ShouldBeFalse();
        again.Job.ShouldBe(original);
        (await Store.Jobs.GetAsync("second")).ShouldBeNull();
        (await Store.Jobs.ListAsync(new JobQuery())).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Enqueue_starts_the_history_with_the_given_events_in_its_write_and_a_duplicate_adds_none()
    {
        var created = await Store.Jobs.EnqueueAsync(Job("octo/app#3:solve", id: "with-events") with
        {
            Events = [new NewEvent("created", """{"by":"octocat"}"""), new NewEvent("noted", "{}")],
        });
        var duplicate = await Store.Jobs.EnqueueAsync(Job("octo/app#3:solve", id: "other") with { Events = [new NewEvent("created", "{}")] });
        var turned = await Store.Jobs.TurnAsync("with-events", lease: null, current => new JobChange(current.State, current.DataJson, [new NewEvent("next", "{}")], []));

        created.Created.ShouldBeTrue();
        created.Job.Version.ShouldBe(1, "the events are part of the creation, not a turn after it");
        duplicate.Created.ShouldBeFalse();
        (await Store.History.ReadAsync("with-events", 0, 10)).Select(e => (e.Sequence, e.Type, e.DataJson)).ShouldBe(
            [(1L, "created", """{"by":"octocat"}"""), (2L, "noted", "{}"), (3L, "next", "{}")],
            "a later turn's events follow the creation's");
        (await Store.History.ReadAsync("other", 0, 10)).ShouldBeEmpty();
        turned.Version.ShouldBe(2);
    }

    [Fact]
    public async Task Eight_concurrent_enqueues_of_one_natural_key_create_exactly_one_job()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Store.Jobs.EnqueueAsync(Job("octo/app#7:solve", id: $"attempt-{i}")))));

        results.Count(r => r.Created).ShouldBe(1);
        results.Select(r => r.Job.Id).Distinct().ShouldHaveSingleItem().ShouldBe(results.Single(r => r.Created).Job.Id);
        (await Store.Jobs.ListAsync(new JobQuery())).Count.ShouldBe(1);
    }

    [Fact]
    public async Task List_returns_newest_first_filtered_by_repo_and_state_with_paging()
    {
        await EnqueueAsync(Job("k1", repo: "a/a", id: "j1"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await EnqueueAsync(Job("k2", repo: "b/b", id: "j2"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await EnqueueAsync(Job("k3", repo: "a/a", id: "j3"));
        await Store.Jobs.TurnAsync("j1", null, MoveTo(JobState.Closed));

        (await Store.Jobs.ListAsync(new JobQuery())).Select(j => j.Id).ShouldBe(["j3", "j2", "j1"]);
        (await Store.Jobs.ListAsync(new JobQuery(Repo: "a/a"))).Select(j => j.Id).ShouldBe(["j3", "j1"]);
        (await Store.Jobs.ListAsync(new JobQuery(Repo: "A/a"))).Select(j => j.Id).ShouldBe(["j3", "j1"], "GitHub's repository names ignore letter case");
        (await Store.Jobs.ListAsync(new JobQuery(States: [JobState.Queued]))).Select(j => j.Id).ShouldBe(["j3", "j2"]);
        (await Store.Jobs.ListAsync(new JobQuery(States: [JobState.Closed, JobState.Failed]))).Select(j => j.Id).ShouldBe(["j1"]);
        (await Store.Jobs.ListAsync(new JobQuery(Repo: "a/a", States: [JobState.Queued]))).Select(j => j.Id).ShouldBe(["j3"]);
        (await Store.Jobs.ListAsync(new JobQuery(Limit: 1, Offset: 1))).Select(j => j.Id).ShouldBe(["j2"]);
    }

    [Fact]
    public async Task Turn_applies_state_data_run_after_attempt_and_appends_events_and_outbox()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        var claimed = await ClaimAsync("j1");
        Clock.Advance(TimeSpan.FromSeconds(10));
        var runAfter = Now.AddMinutes(3);

        var updated = await Store.Jobs.TurnAsync("j1", claimed.Lease, job =>
        {
            job.ShouldBe(claimed.Job);
            return new JobChange(
                JobState.PrOpened,
                """{"pr":7}""",
                [new NewEvent("pr_opened", """{"number":7}"""), new NewEvent("note", "{}")],
                [new NewOutboxItem("github.comment", "job/j1/pr", """{"n":7}""")],
                runAfter,
                2);
        });

        updated.ShouldBe(claimed.Job with
        {
            State = JobState.PrOpened,
            DataJson = """{"pr":7}""",
            RunAfter = runAfter,
            Attempt = 2,
            Version = claimed.Job.Version + 1,
            UpdatedAt = Now,
        });
        (await Store.Jobs.GetAsync("j1")).ShouldBe(updated);
        (await Store.History.ReadAsync("j1", 0, 10)).ShouldBe(
        [
            new JobEventRecord("j1", 1, Now, "pr_opened", """{"number":7}"""),
            new JobEventRecord("j1", 2, Now, "note", "{}"),
        ]);
        var effect = (await Store.Outbox.GetByKeyAsync("job/j1/pr")).ShouldNotBeNull();
        (effect.Kind, effect.JobId).ShouldBe(("github.comment", "j1"));

        await Store.Jobs.TurnAsync("j1", claimed.Lease, MoveTo(JobState.PrOpened, events: [new NewEvent("third", "{}")]));
        (await Store.History.ReadAsync("j1", 1, 10)).Select(e => (e.Sequence, e.Type)).ShouldBe([(2L, "note"), (3L, "third")]);
        (await Store.History.ReadAsync("j1", 0, 1)).Select(e => e.Sequence).ShouldBe([1L]);
    }

    [Fact]
    public async Task Turn_decide_exception_rolls_back_and_propagates()
    {
        var queued = await EnqueueAsync(Job("k1", id: "j1"));

        await Should.ThrowAsync<InvalidOperationException>(() => Store.Jobs.TurnAsync("j1", null, _ =>
            throw new InvalidOperationException("queued cannot become merged")));

        (await Store.Jobs.GetAsync("j1")).ShouldBe(queued);
        (await Store.History.ReadAsync("j1", 0, 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Turn_on_a_missing_job_throws_KeyNotFoundException()
    {
        await Should.ThrowAsync<KeyNotFoundException>(() => Store.Jobs.TurnAsync("missing", null, MoveTo(JobState.Closed)));
    }

    [Fact]
    public async Task A_stale_fence_is_refused_for_turn_and_log_append_and_nothing_is_written()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        var stale = (await ClaimAsync("j1", "node-a")).Lease;
        // A person stops the job: the turn takes the lease away without being its holder.
        var stopped = await Store.Jobs.TurnAsync("j1", null, MoveTo(JobState.Stopped, releaseLease: true, events: [new NewEvent("stopped", "{}")]));
        stopped.Fence.ShouldBe(2);
        stopped.LeaseOwner.ShouldBeNull();
        stopped.ClaimedAt.ShouldBeNull();

        var refused = await Should.ThrowAsync<StaleLeaseException>(() => Store.Jobs.TurnAsync("j1", stale, MoveTo(
            JobState.PrOpened, events: [new NewEvent("late", "{}")], outbox: [new NewOutboxItem("github.pr", "late-pr", "{}")], dataJson: """{"late":true}""")));
        refused.JobId.ShouldBe("j1");
        refused.Fence.ShouldBe(1);
        await Should.ThrowAsync<StaleLeaseException>(() => Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "late line")], stale));

        (await Store.Jobs.GetAsync("j1")).ShouldBe(stopped);
        (await Store.History.ReadAsync("j1", 0, 10)).Select(e => e.Type).ShouldBe(["stopped"]);
        (await Store.Outbox.GetByKeyAsync("late-pr")).ShouldBeNull();
        (await Store.Logs.ReadAsync("j1", 0, 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_lease_from_a_previous_claim_is_refused_after_the_job_is_claimed_again()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        var first = await ClaimAsync("j1", "node-a");
        await Store.Jobs.TurnAsync("j1", first.Lease, MoveTo(JobState.Fixing, releaseLease: true));
        var second = await ClaimAsync("j1", "node-a");

        // Same owner name, older fence: still refused.
        await Should.ThrowAsync<StaleLeaseException>(() => Store.Jobs.TurnAsync("j1", first.Lease, MoveTo(JobState.PrOpened)));
        var ok = await Store.Jobs.TurnAsync("j1", second.Lease, MoveTo(JobState.PrOpened));
        ok.State.ShouldBe(JobState.PrOpened);
        (await Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "ok")], second.Lease)).ShouldBe(1);
    }

    [Fact]
    public async Task A_lost_run_is_rescued_by_a_turn_with_its_lease_that_requeues_releases_the_claim_and_fences_the_run_out()
    {
        await EnqueueAsync(Job("k1", id: "j1", maxAttempts: 3));
        var lost = await ClaimAsync("j1", "node-a/1");
        Clock.Advance(TimeSpan.FromMinutes(30));
        // The store never takes a lease away by itself, however old the claim: liveness is the grains' call.
        (await Store.Jobs.GetAsync("j1")).ShouldBe(lost.Job);

        // The job grain found the run's worker gone; its turn, with the run's owner and fence, puts the job back.
        var rescued = await Store.Jobs.TurnAsync("j1", lost.Lease, job => new JobChange(
            JobState.Queued, job.DataJson, [new NewEvent("run_lost", "{}")], [], RunAfter: Now.AddSeconds(20), Attempt: job.Attempt + 1, ReleaseLease: true));

        rescued.ShouldBe(lost.Job with
        {
            State = JobState.Queued,
            Attempt = 2,
            RunAfter = Now.AddSeconds(20),
            LeaseOwner = null,
            ClaimedAt = null,
            Fence = 2,
            Version = lost.Job.Version + 1,
            UpdatedAt = Now,
        });
        (await Store.Jobs.GetAsync("j1")).ShouldBe(rescued);
        // A second rescue of the same run (the reminder and the silo-death notice both fired) is refused: the fence moved.
        await Should.ThrowAsync<StaleLeaseException>(() => Store.Jobs.TurnAsync("j1", lost.Lease, MoveTo(JobState.Queued, releaseLease: true)));
        await Should.ThrowAsync<StaleLeaseException>(() => Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "late")], lost.Lease));
        (await Store.History.ReadAsync("j1", 0, 10)).Select(e => e.Type).ShouldBe(["run_lost"]);

        // The claim is given back (the repo no longer counts it); once the backoff has passed the job is claimed
        // again, with a new fence.
        (await Store.Jobs.HeldCountAsync("octo/app")).ShouldBe(0);
        (await Store.Jobs.TryClaimUnlimitedAsync("j1", "node-b/1")).ShouldBeNull();
        Clock.Advance(TimeSpan.FromSeconds(20));
        var again = await ClaimAsync("j1", "node-b/1");
        again.Lease.ShouldBe(new JobLease("j1", "node-b/1", 3));
        again.Job.Attempt.ShouldBe(2);
        again.Job.ClaimedAt.ShouldBe(Now);
    }

    [Fact]
    public async Task Purge_terminal_deletes_old_terminal_jobs_with_their_logs_and_events()
    {
        await EnqueueAsync(Job("old-done", id: "old-done"));
        await EnqueueAsync(Job("old-waiting", id: "old-waiting"));
        await Store.Jobs.TurnAsync("old-done", null, MoveTo(JobState.Merged, events: [new NewEvent("merged", "{}")]));
        await Store.Jobs.TurnAsync("old-waiting", null, MoveTo(JobState.WaitingForReply));
        await Store.Logs.AppendAsync("old-done", [new NewLogLine("stdout", "x")]);
        Clock.Advance(TimeSpan.FromDays(10));
        var cutoff = Now;
        await EnqueueAsync(Job("new-done", id: "new-done"));
        await Store.Jobs.TurnAsync("new-done", null, MoveTo(JobState.Closed));

        (await Store.Jobs.PurgeTerminalAsync(cutoff)).ShouldBe(1);

        (await Store.Jobs.GetAsync("old-done")).ShouldBeNull();
        (await Store.Logs.ReadAsync("old-done", 0, 10)).ShouldBeEmpty();
        (await Store.History.ReadAsync("old-done", 0, 10)).ShouldBeEmpty();
        (await Store.Jobs.GetAsync("old-waiting")).ShouldNotBeNull();
        (await Store.Jobs.GetAsync("new-done")).ShouldNotBeNull();
        (await Store.Jobs.PurgeTerminalAsync(cutoff)).ShouldBe(0);
    }

    [Fact]
    public async Task Four_concurrent_claimers_claim_each_of_200_jobs_exactly_once()
    {
        const int Jobs = 200;
        for (var i = 0; i < Jobs; i++)
        {
            await EnqueueAsync(Job($"k{i}", repo: $"r/{i % 10}", id: $"j{i:D3}"));
        }

        var claimers = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            // As a worker slot does: read the claimable jobs, try to claim each. All four read the same list,
            // so they race for the same jobs, and the losers' claims come back null.
            var mine = new List<string>();
            while (await Store.Jobs.ListClaimableAsync(25) is { Count: > 0 } claimable)
            {
                foreach (var job in claimable)
                {
                    if (await Store.Jobs.TryClaimUnlimitedAsync(job.Id, $"node-{n}") is { } claimed)
                    {
                        mine.Add(claimed.Job.Id);
                    }
                }
            }
            return mine;
        }));
        var claimedIds = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        claimedIds.Count.ShouldBe(Jobs);
        claimedIds.Distinct().Count().ShouldBe(Jobs);
        (await Store.Jobs.ListAsync(new JobQuery(States: [JobState.Running], Limit: 1000)))
            .ShouldAllBe(j => j.Fence == 1 && j.LeaseOwner != null);
        (await Store.Jobs.ListAsync(new JobQuery(States: [JobState.Running], Limit: 1000))).Count.ShouldBe(Jobs);
    }
}
