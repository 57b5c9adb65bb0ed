using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static readonly TimeSpan ItemLease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Outbox_stores_an_idempotency_key_once_with_its_job()
    {
        (await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("github.comment", "key-1", """{"a":1}"""))).ShouldBeTrue();
        (await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("github.comment", "key-1", """{"a":2}"""))).ShouldBeFalse();
        // The key is unique across jobs: another job asking for it stores nothing and takes nothing over.
        (await Store.Outbox.EnqueueAsync("j2", new NewOutboxItem("github.comment", "key-1", """{"a":3}"""))).ShouldBeFalse();

        var item = (await Store.Outbox.GetByKeyAsync("key-1")).ShouldNotBeNull();
        (item.PayloadJson, item.JobId).ShouldBe(("""{"a":1}""", "j1"));
        (await Store.Outbox.GetByKeyAsync("key-2")).ShouldBeNull();
        (await Store.Outbox.ClaimDueForJobAsync("j2", "node-a", 10, ItemLease)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Outbox_items_of_a_job_turn_carry_its_job_id_and_are_claimed_for_that_job_only()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        await EnqueueAsync(Job("k2", id: "j2"));

        await Store.Jobs.TurnAsync("j1", null, MoveTo(JobState.Queued, outbox:
        [
            new NewOutboxItem("github.comment", "job/j1/comment/1", "{}"),
            new NewOutboxItem("github.label", "job/j1/label/1", "{}"),
        ]));
        await Store.Jobs.TurnAsync("j2", null, MoveTo(JobState.Queued, outbox: [new NewOutboxItem("github.comment", "job/j2/comment/1", "{}")]));

        (await Store.Outbox.GetByKeyAsync("job/j1/comment/1")).ShouldNotBeNull().JobId.ShouldBe("j1");
        (await Store.Outbox.GetByKeyAsync("job/j1/label/1")).ShouldNotBeNull().JobId.ShouldBe("j1");
        (await Store.Outbox.GetByKeyAsync("job/j2/comment/1")).ShouldNotBeNull().JobId.ShouldBe("j2");
        var j1 = await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, ItemLease);
        j1.Select(i => (i.IdempotencyKey, i.JobId)).ShouldBe([("job/j1/comment/1", "j1"), ("job/j1/label/1", "j1")]);
        (await Store.Outbox.ClaimDueForJobAsync("j2", "node-a", 10, ItemLease)).ShouldHaveSingleItem().JobId.ShouldBe("j2");
    }

    [Fact]
    public async Task Outbox_claim_for_a_job_never_returns_another_jobs_items()
    {
        // Other jobs' items are due earlier and interleave by id; "j10" starts with "j1".
        await Store.Outbox.EnqueueAsync("j2", new NewOutboxItem("k", "j2-a", "{}", Now.AddSeconds(-10)));
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "j1-a", "{}"));
        await Store.Outbox.EnqueueAsync("j10", new NewOutboxItem("k", "j10-a", "{}", Now.AddSeconds(-5)));
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "j1-b", "{}"));
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("{}", 0, outbox: [new NewOutboxItem("k", "actor-a", "{}", Now.AddSeconds(-20))]));

        var j1 = await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, ItemLease);
        j1.Select(i => i.IdempotencyKey).ShouldBe(["j1-a", "j1-b"]);
        // The other jobs' items were not touched: still unclaimed, no attempt counted.
        (await Store.Outbox.GetByKeyAsync("j2-a")).ShouldNotBeNull().Attempts.ShouldBe(0);
        (await Store.Outbox.GetByKeyAsync("j10-a")).ShouldNotBeNull().Attempts.ShouldBe(0);
        (await Store.Outbox.GetByKeyAsync("actor-a")).ShouldNotBeNull().Attempts.ShouldBe(0);

        // Nor once the job's own items are held, done, or their lease ran out.
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-b", 10, ItemLease)).ShouldBeEmpty();
        await Store.Outbox.CompleteAsync(j1[0].Id);
        Clock.Advance(ItemLease);
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-b", 10, ItemLease)).Select(i => i.IdempotencyKey).ShouldBe(["j1-b"]);
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-b", 10, ItemLease)).ShouldBeEmpty();
        (await Store.Outbox.ClaimDueForJobAsync("j10", "node-b", 10, ItemLease)).Select(i => i.IdempotencyKey).ShouldBe(["j10-a"]);
        (await Store.Outbox.ClaimDueForJobAsync("j2", "node-b", 10, ItemLease)).Select(i => i.IdempotencyKey).ShouldBe(["j2-a"]);
        (await Store.Outbox.ClaimDueForJobAsync("j3", "node-b", 10, ItemLease)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Outbox_next_due_of_a_job_is_its_earliest_pending_item_or_the_expiry_of_a_claim_on_it()
    {
        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBeNull("nothing is pending");
        var start = Now;
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "in-a-minute", "{}", start.AddMinutes(1)));
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "in-an-hour", "{}", start.AddHours(1)));
        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBe(start.AddMinutes(1));

        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "now", "{}"));
        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBe(start);

        // A claimed item is next due when its claim runs out (its holder died).
        var claimed = (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, ItemLease)).ShouldHaveSingleItem();
        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBe(start.AddSeconds(30));
        await Store.Outbox.CompleteAsync(claimed.Id);
        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBe(start.AddMinutes(1));

        // A retry is due at its retry time; a dead item is never due.
        Clock.Advance(TimeSpan.FromMinutes(1));
        var due = (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, ItemLease)).ShouldHaveSingleItem();
        await Store.Outbox.FailAsync(due.Id, "GitHub answered 502", Now.AddSeconds(8));
        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBe(Now.AddSeconds(8));
        await Store.Outbox.FailAsync(due.Id, "GitHub answered 404", retryAt: null);
        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBe(start.AddHours(1));
    }

    [Fact]
    public async Task Outbox_next_due_is_per_job()
    {
        var start = Now;
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "j1-later", "{}", start.AddMinutes(10)));
        await Store.Outbox.EnqueueAsync("j2", new NewOutboxItem("k", "j2-soon", "{}", start.AddMinutes(1)));
        await Store.Outbox.EnqueueAsync("j10", new NewOutboxItem("k", "j10-now", "{}"));
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("{}", 0, outbox: [new NewOutboxItem("k", "actor-now", "{}")]));

        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBe(start.AddMinutes(10));
        (await Store.Outbox.NextDueForJobAsync("j2")).ShouldBe(start.AddMinutes(1));
        (await Store.Outbox.NextDueForJobAsync("j10")).ShouldBe(start);
        (await Store.Outbox.NextDueForJobAsync("j3")).ShouldBeNull();

        // Another job's claim and completion leave a job's next due time alone.
        var j10 = (await Store.Outbox.ClaimDueForJobAsync("j10", "node-a", 10, ItemLease)).ShouldHaveSingleItem();
        (await Store.Outbox.NextDueForJobAsync("j10")).ShouldBe(start.Add(ItemLease));
        await Store.Outbox.CompleteAsync(j10.Id);
        (await Store.Outbox.NextDueForJobAsync("j10")).ShouldBeNull();
        (await Store.Outbox.NextDueForJobAsync("j1")).ShouldBe(start.AddMinutes(10));
        (await Store.Outbox.NextDueForJobAsync("j2")).ShouldBe(start.AddMinutes(1));
    }

    [Fact]
    public async Task Outbox_jobs_with_pending_effects_lists_each_job_once_by_earliest_due_and_not_jobs_with_only_done_or_dead_items()
    {
        var start = Now;
        (await Store.Outbox.JobsWithPendingEffectsAsync(10)).ShouldBeEmpty();
        // j-late: two items, the earliest in an hour. j-held: one item, claimed. j-soon: one in a minute, one now.
        await Store.Outbox.EnqueueAsync("j-late", new NewOutboxItem("k", "late-1", "{}", start.AddHours(2)));
        await Store.Outbox.EnqueueAsync("j-late", new NewOutboxItem("k", "late-2", "{}", start.AddHours(1)));
        await Store.Outbox.EnqueueAsync("j-held", new NewOutboxItem("k", "held-1", "{}", start.AddSeconds(-1)));
        await Store.Outbox.EnqueueAsync("j-soon", new NewOutboxItem("k", "soon-1", "{}", start.AddMinutes(1)));
        await Store.Outbox.EnqueueAsync("j-soon", new NewOutboxItem("k", "soon-2", "{}"));
        // j-done and j-dead have only finished items; an actor turn's item has no job.
        await Store.Outbox.EnqueueAsync("j-done", new NewOutboxItem("k", "done-1", "{}", start.AddSeconds(-5)));
        await Store.Outbox.EnqueueAsync("j-dead", new NewOutboxItem("k", "dead-1", "{}", start.AddSeconds(-5)));
        await Store.Actors.TurnAsync("repo", "octo/app", _ => Decision("{}", 0, outbox: [new NewOutboxItem("k", "actor-1", "{}", start.AddSeconds(-9))]));
        await Store.Outbox.CompleteAsync((await Store.Outbox.ClaimDueForJobAsync("j-done", "node-a", 10, ItemLease)).ShouldHaveSingleItem().Id);
        await Store.Outbox.FailAsync((await Store.Outbox.ClaimDueForJobAsync("j-dead", "node-a", 10, ItemLease)).ShouldHaveSingleItem().Id, "404", retryAt: null);
        (await Store.Outbox.ClaimDueForJobAsync("j-held", "node-a", 10, ItemLease)).ShouldHaveSingleItem();

        (await Store.Outbox.JobsWithPendingEffectsAsync(10)).ShouldBe(["j-held", "j-soon", "j-late"]);
        (await Store.Outbox.JobsWithPendingEffectsAsync(2)).ShouldBe(["j-held", "j-soon"]);

        // A job drops out once its last pending item is done; a retry keeps it listed, by its new due time.
        var soon = await Store.Outbox.ClaimDueForJobAsync("j-soon", "node-a", 10, ItemLease);
        await Store.Outbox.CompleteAsync(soon.ShouldHaveSingleItem().Id);
        (await Store.Outbox.JobsWithPendingEffectsAsync(10)).ShouldBe(["j-held", "j-soon", "j-late"]);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Store.Outbox.CompleteAsync((await Store.Outbox.ClaimDueForJobAsync("j-soon", "node-a", 10, ItemLease)).ShouldHaveSingleItem().Id);
        var held = (await Store.Outbox.GetByKeyAsync("held-1")).ShouldNotBeNull();
        await Store.Outbox.FailAsync(held.Id, "502", start.AddHours(3));
        (await Store.Outbox.JobsWithPendingEffectsAsync(10)).ShouldBe(["j-late", "j-held"]);
    }

    [Fact]
    public async Task Outbox_claims_only_a_jobs_due_items_counts_attempts_and_leases_them()
    {
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "later", "{}", Now.AddMinutes(1)));
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "now-1", "{}"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "now-2", "{}"));

        var claimed = await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, ItemLease);
        claimed.Select(i => i.IdempotencyKey).ShouldBe(["now-1", "now-2"]);
        claimed.ShouldAllBe(i => i.Attempts == 1 && i.Status == "pending" && i.JobId == "j1");

        // Leased: nobody else takes them until the lease runs out.
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-b", 10, ItemLease)).ShouldBeEmpty();
        await Store.Outbox.CompleteAsync(claimed[0].Id);
        Clock.Advance(ItemLease);
        var reclaimed = await Store.Outbox.ClaimDueForJobAsync("j1", "node-b", 10, ItemLease);
        reclaimed.Select(i => (i.IdempotencyKey, i.Attempts)).ShouldBe([("now-2", 2)]);
        await Store.Outbox.CompleteAsync(reclaimed[0].Id);

        Clock.Advance(ItemLease);
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-b", 1, ItemLease)).Select(i => i.IdempotencyKey).ShouldBe(["later"]);
    }

    [Fact]
    public async Task Outbox_claim_takes_at_most_max_items_by_due_time_then_id()
    {
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "second", "{}"));
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "third", "{}"));
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("k", "first", "{}", Now.AddSeconds(-1)));

        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 2, ItemLease)).Select(i => i.IdempotencyKey).ShouldBe(["first", "second"]);
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 2, ItemLease)).Select(i => i.IdempotencyKey).ShouldBe(["third"]);
    }

    [Fact]
    public async Task Outbox_fail_with_retry_reschedules_then_complete_finishes()
    {
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("github.pr", "pr-1", "{}"));
        var item = (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, TimeSpan.FromMinutes(1))).ShouldHaveSingleItem();
        var retryAt = Now.AddSeconds(10);

        await Store.Outbox.FailAsync(item.Id, "502 Bad Gateway", retryAt);

        var failed = (await Store.Outbox.GetByKeyAsync("pr-1")).ShouldNotBeNull();
        failed.Status.ShouldBe("pending");
        failed.Attempts.ShouldBe(1);
        failed.LastError.ShouldBe("502 Bad Gateway");
        failed.DueAt.ShouldBe(retryAt);
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, TimeSpan.FromMinutes(1))).ShouldBeEmpty();

        Clock.Advance(TimeSpan.FromSeconds(10));
        var retry = (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, TimeSpan.FromMinutes(1))).ShouldHaveSingleItem();
        retry.Id.ShouldBe(item.Id);
        retry.Attempts.ShouldBe(2);
        await Store.Outbox.CompleteAsync(retry.Id);

        (await Store.Outbox.GetByKeyAsync("pr-1")).ShouldNotBeNull().Status.ShouldBe("done");
        Clock.Advance(TimeSpan.FromHours(1));
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, TimeSpan.FromMinutes(1))).ShouldBeEmpty();
        // The key stays taken after completion: the effect is never performed twice.
        (await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("github.pr", "pr-1", "{}"))).ShouldBeFalse();
    }

    [Fact]
    public async Task Outbox_fail_without_retry_marks_the_item_dead()
    {
        await Store.Outbox.EnqueueAsync("j1", new NewOutboxItem("github.pr", "pr-1", "{}"));
        var item = (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, TimeSpan.FromMinutes(1))).ShouldHaveSingleItem();

        await Store.Outbox.FailAsync(item.Id, "422 Unprocessable", null);

        var dead = (await Store.Outbox.GetByKeyAsync("pr-1")).ShouldNotBeNull();
        dead.Status.ShouldBe("dead");
        dead.LastError.ShouldBe("422 Unprocessable");
        dead.Attempts.ShouldBe(1);
        Clock.Advance(TimeSpan.FromHours(1));
        (await Store.Outbox.ClaimDueForJobAsync("j1", "node-a", 10, TimeSpan.FromMinutes(1))).ShouldBeEmpty();
    }
}
