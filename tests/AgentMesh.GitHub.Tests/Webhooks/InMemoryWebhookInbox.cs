using System.Collections.Concurrent;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>
/// TEST-ONLY inbox: de-duplicates with ConcurrentDictionary.TryAdd, the in-memory analogue of the stores'
/// INSERT … ON CONFLICT DO NOTHING. The endpoint's own tests use it; the node's delivery grain is tested with real silos (AgentMesh.Grains.Tests, end-to-end).
/// </summary>
public sealed class InMemoryWebhookInbox : IWebhookInbox
{
    private readonly ConcurrentDictionary<string, InboxDelivery> _deliveries = new(StringComparer.Ordinal);

    public int AddCalls;

    public IReadOnlyCollection<InboxDelivery> All => [.. _deliveries.Values];

    public Task<InboxAddResult> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        Interlocked.Increment(ref AddCalls);
        return Task.FromResult(_deliveries.TryAdd(delivery.DeliveryId, delivery) ? InboxAddResult.Added : InboxAddResult.Duplicate);
    }

    public Task<InboxDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_deliveries.GetValueOrDefault(deliveryId));
}
