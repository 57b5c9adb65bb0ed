using AgentMesh.Storage.Abstractions;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>TEST-ONLY inbox whose store is down: every write throws, as a lost database connection would.</summary>
public sealed class FailingWebhookInbox : IWebhookInbox
{
    public Task<InboxAddResult> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("database is unreachable");
}
