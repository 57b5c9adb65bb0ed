using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Outbox_stores_an_idempotency_key_once()
    {
        (await Store.Outbox.EnqueueAsync(new NewOutboxItem("github.comment", "key-1", """{"a":1}"""))).ShouldBeTrue();
        (await Store.Outbox.EnqueueAsync(new NewOutboxItem("github.comment", "key-1", """{"a":2}"""))).ShouldBeFalse();

        var item = (await Store.Outbox.GetByKeyAsync("key-1")).ShouldNotBeNull();
        item.PayloadJson.ShouldBe("""{"a":1}""");
        (await Store.Outbox.GetByKeyAsync("key-2")).ShouldBeNull();
    }

    [Fact]
    public async Task Outbox_next_due_is_the_earliest_pending_item_or_the_expiry_of_a_claim_on_it()
    {
        (await Store.Outbox.NextDueAsync()).ShouldBeNull("nothing is pending");
        var start = Now;
        await Store.Outbox.EnqueueAsync(new NewOutboxItem("k", "in-a-minute", "{}", start.AddMinutes(1)));
        await Store.Outbox.EnqueueAsync(new NewOutboxItem("k", "in-an-hour", "{}", start.AddHours(1)));
        (await Store.Outbox.NextDueAsync()).ShouldBe(start.AddMinutes(1));

        await Store.Outbox.EnqueueAsync(new NewOutboxItem("k", "now", "{}"));
        (await Store.Outbox.NextDueAsync()).ShouldBe(start);

        // A claimed item is next due when its claim runs out (its dispatcher died).
        var claimed = (await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem();
        (await Store.Outbox.NextDueAsync()).ShouldBe(start.AddSeconds(30));
        await Store.Outbox.CompleteAsync(claimed.Id);
        (await Store.Outbox.NextDueAsync()).ShouldBe(start.AddMinutes(1));

        // A retry is due at its retry time; a dead item is never due.
        Clock.Advance(TimeSpan.FromMinutes(1));
        var due = (await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem();
        await Store.Outbox.FailAsync(due.Id, "GitHub answered 502", Now.AddSeconds(8));
        (await Store.Outbox.NextDueAsync()).ShouldBe(Now.AddSeconds(8));
        await Store.Outbox.FailAsync(due.Id, "GitHub answered 404", retryAt: null);
        (await Store.Outbox.NextDueAsync()).ShouldBe(start.AddHours(1));
    }

    [Fact]
    public async Task Outbox_claims_only_due_items_counts_attempts_and_leases_them()
    {
        await Store.Outbox.EnqueueAsync(new NewOutboxItem("k", "later", "{}", Now.AddMinutes(1)));
        await Store.Outbox.EnqueueAsync(new NewOutboxItem("k", "now-1", "{}"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.Outbox.EnqueueAsync(new NewOutboxItem("k", "now-2", "{}"));

        var claimed = await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromSeconds(30));
        claimed.Select(i => i.IdempotencyKey).ShouldBe(["now-1", "now-2"]);
        claimed.ShouldAllBe(i => i.Attempts == 1 && i.Status == "pending");

        // Leased: nobody else takes them until the lease runs out.
        (await Store.Outbox.ClaimDueAsync("node-b", 10, TimeSpan.FromSeconds(30))).ShouldBeEmpty();
        await Store.Outbox.CompleteAsync(claimed[0].Id);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var reclaimed = await Store.Outbox.ClaimDueAsync("node-b", 10, TimeSpan.FromSeconds(30));
        reclaimed.Select(i => (i.IdempotencyKey, i.Attempts)).ShouldBe([("now-2", 2)]);
        await Store.Outbox.CompleteAsync(reclaimed[0].Id);

        Clock.Advance(TimeSpan.FromSeconds(30));
        (await Store.Outbox.ClaimDueAsync("node-b", 1, TimeSpan.FromSeconds(30))).Select(i => i.IdempotencyKey).ShouldBe(["later"]);
    }

    [Fact]
    public async Task Outbox_fail_with_retry_reschedules_then_complete_finishes()
    {
        await Store.Outbox.EnqueueAsync(new NewOutboxItem("github.pr", "pr-1", "{}"));
        var item = (await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromMinutes(1))).ShouldHaveSingleItem();
        var retryAt = Now.AddSeconds(10);

        await Store.Outbox.FailAsync(item.Id, "502 Bad Gateway", retryAt);

        var failed = (await Store.Outbox.GetByKeyAsync("pr-1")).ShouldNotBeNull();
        failed.Status.ShouldBe("pending");
        failed.Attempts.ShouldBe(1);
        failed.LastError.ShouldBe("502 Bad Gateway");
        failed.DueAt.ShouldBe(retryAt);
        (await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromMinutes(1))).ShouldBeEmpty();

        Clock.Advance(TimeSpan.FromSeconds(10));
        var retry = (await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromMinutes(1))).ShouldHaveSingleItem();
        retry.Id.ShouldBe(item.Id);
        retry.Attempts.ShouldBe(2);
        await Store.Outbox.CompleteAsync(retry.Id);

        (await Store.Outbox.GetByKeyAsync("pr-1")).ShouldNotBeNull().Status.ShouldBe("done");
        Clock.Advance(TimeSpan.FromHours(1));
        (await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromMinutes(1))).ShouldBeEmpty();
        // The key stays taken after completion: the effect is never performed twice.
        (await Store.Outbox.EnqueueAsync(new NewOutboxItem("github.pr", "pr-1", "{}"))).ShouldBeFalse();
    }

    [Fact]
    public async Task Outbox_fail_without_retry_marks_the_item_dead()
    {
        await Store.Outbox.EnqueueAsync(new NewOutboxItem("github.pr", "pr-1", "{}"));
        var item = (await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromMinutes(1))).ShouldHaveSingleItem();

        await Store.Outbox.FailAsync(item.Id, "422 Unprocessable", null);

        var dead = (await Store.Outbox.GetByKeyAsync("pr-1")).ShouldNotBeNull();
        dead.Status.ShouldBe("dead");
        dead.LastError.ShouldBe("422 Unprocessable");
        dead.Attempts.ShouldBe(1);
        Clock.Advance(TimeSpan.FromHours(1));
        (await Store.Outbox.ClaimDueAsync("node-a", 10, TimeSpan.FromMinutes(1))).ShouldBeEmpty();
    }
}
