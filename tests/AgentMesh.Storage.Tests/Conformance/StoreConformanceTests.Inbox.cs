using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static InboxDelivery Delivery(string id, DateTimeOffset receivedAt, string body = """{"action":"opened"}""") =>
        new(id, "issues", "opened", "octo/app", 42, System.Text.Encoding.UTF8.GetBytes(body), receivedAt);

    [Fact]
    public async Task Inbox_stores_a_delivery_once_and_keeps_the_payload_byte_for_byte()
    {
        var payload = new byte[] { 0x7B, 0x22, 0xC3, 0xA9, 0x22, 0x3A, 0x00, 0xFF, 0x7D };
        var delivery = new InboxDelivery("d-1", "issue_comment", null, null, null, payload, Now);

        (await Store.Inbox.AddAsync(delivery)).ShouldBe(InboxAddResult.Added);
        (await Store.Inbox.AddAsync(delivery with { Event = "changed" })).ShouldBe(InboxAddResult.Duplicate);

        var stored = (await Store.Inbox.GetAsync("d-1")).ShouldNotBeNull();
        stored.Payload.ShouldBe(payload);
        stored.Event.ShouldBe("issue_comment");
        stored.Action.ShouldBeNull();
        stored.Repository.ShouldBeNull();
        stored.InstallationId.ShouldBeNull();
        stored.ReceivedAt.ShouldBe(Now);
        (await Store.Inbox.GetAsync("d-2")).ShouldBeNull();
    }

    [Fact]
    public async Task Inbox_8_concurrent_adds_of_one_delivery_store_it_exactly_once()
    {
        var delivery = Delivery("d-race", Now);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.Inbox.AddAsync(delivery))));

        results.Count(r => r == InboxAddResult.Added).ShouldBe(1);
        results.Count(r => r == InboxAddResult.Duplicate).ShouldBe(7);
    }

    [Fact]
    public async Task Inbox_claims_pending_oldest_first_leases_them_and_reclaims_after_lease_expiry()
    {
        await Store.Inbox.AddAsync(Delivery("d-2", Now.AddSeconds(2)));
        await Store.Inbox.AddAsync(Delivery("d-1", Now.AddSeconds(1)));
        await Store.Inbox.AddAsync(Delivery("d-3", Now.AddSeconds(3)));

        var first = await Store.Inbox.ClaimPendingAsync("node-a", 2, TimeSpan.FromSeconds(30));
        first.Select(d => d.DeliveryId).ShouldBe(["d-1", "d-2"]);
        first[0].ShouldBe(Delivery("d-1", Now.AddSeconds(1)), new InboxDeliveryComparer());

        (await Store.Inbox.ClaimPendingAsync("node-b", 10, TimeSpan.FromSeconds(30))).Select(d => d.DeliveryId).ShouldBe(["d-3"]);
        (await Store.Inbox.ClaimPendingAsync("node-b", 10, TimeSpan.FromSeconds(30))).ShouldBeEmpty();

        await Store.Inbox.MarkProcessedAsync("d-1", null);
        Clock.Advance(TimeSpan.FromSeconds(30));

        // node-a died holding d-2: its lease expired, so another node takes it; processed d-1 never comes back.
        (await Store.Inbox.ClaimPendingAsync("node-b", 10, TimeSpan.FromSeconds(30))).Select(d => d.DeliveryId).ShouldBe(["d-2", "d-3"]);
        await Store.Inbox.MarkProcessedAsync("d-2", "gave up: unknown event");
        await Store.Inbox.MarkProcessedAsync("d-3", null);
        Clock.Advance(TimeSpan.FromMinutes(5));
        (await Store.Inbox.ClaimPendingAsync("node-c", 10, TimeSpan.FromSeconds(30))).ShouldBeEmpty();
    }

    private sealed class InboxDeliveryComparer : IEqualityComparer<InboxDelivery>
    {
        public bool Equals(InboxDelivery? x, InboxDelivery? y) =>
            x is not null && y is not null
            && x with { Payload = Array.Empty<byte>() } == y with { Payload = Array.Empty<byte>() }
            && x.Payload.AsSpan().SequenceEqual(y.Payload);

        public int GetHashCode(InboxDelivery obj) => obj.DeliveryId.GetHashCode(StringComparison.Ordinal);
    }
}
