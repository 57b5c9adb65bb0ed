using AgentMesh.Storage.Abstractions;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>TEST-ONLY inbox whose store is down: every write throws, as a lost database connection would.</summary>
public sealed class FailingWebhookInbox : IWebhookInbox
{
    public Task<InboxAddResult> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("database is unreachable");

    public Task<IReadOnlyList<InboxDelivery>> ClaimPendingAsync(string nodeId, int max, TimeSpan lease, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("database is unreachable");

    public Task MarkProcessedAsync(string deliveryId, string? error, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("database is unreachable");

    public Task<InboxDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("database is unreachable");
}
