using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Pipeline;

/// <summary>The store's inbox, plus a wake-up for this node's processor after each new delivery.</summary>
public sealed class SignallingWebhookInbox(IAgentMeshStore store, InboxWakeUp wakeUp) : IWebhookInbox
{
    public async Task<InboxAddResult> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken = default)
    {
        var result = await store.Inbox.AddAsync(delivery, cancellationToken).ConfigureAwait(false);
        if (result == InboxAddResult.Added)
        {
            wakeUp.Signal();
        }
        return result;
    }

    public Task<IReadOnlyList<InboxDelivery>> ClaimPendingAsync(string nodeId, int max, TimeSpan lease, CancellationToken cancellationToken = default) =>
        store.Inbox.ClaimPendingAsync(nodeId, max, lease, cancellationToken);

    public Task MarkProcessedAsync(string deliveryId, string? error, CancellationToken cancellationToken = default) =>
        store.Inbox.MarkProcessedAsync(deliveryId, error, cancellationToken);

    public Task<InboxDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        store.Inbox.GetAsync(deliveryId, cancellationToken);
}
