namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// Where the webhook endpoint hands a verified delivery before it answers: the delivery is durable
/// when this returns, and de-duplicated by GitHub's delivery id. The node's implementation is the
/// delivery grain (AgentMesh.Grains), which also processes it after the answer.
/// </summary>
public interface IWebhookInbox
{
    /// <summary>Stores the delivery unless one with the same id is already stored.</summary>
    Task<InboxAddResult> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken = default);
}

/// <summary>Whether <see cref="IWebhookInbox.AddAsync"/> stored a new delivery or found it already there.</summary>
public enum InboxAddResult
{
    Added,
    Duplicate,
}

/// <summary>One webhook delivery as received: the headers that matter and the exact raw body.</summary>
/// <param name="DeliveryId">The <c>X-GitHub-Delivery</c> header.</param>
/// <param name="Event">The <c>X-GitHub-Event</c> header, e.g. <c>issues</c>.</param>
/// <param name="Action">The payload's <c>action</c>, when it has one.</param>
/// <param name="Repository">The payload's <c>repository.full_name</c>, when it has one.</param>
/// <param name="InstallationId">The payload's <c>installation.id</c>, when it has one.</param>
/// <param name="Payload">The raw JSON body, byte for byte as it was signed.</param>
/// <param name="ReceivedAt">When this node accepted it.</param>
public sealed record InboxDelivery(
    string DeliveryId,
    string Event,
    string? Action,
    string? Repository,
    long? InstallationId,
    byte[] Payload,
    DateTimeOffset ReceivedAt);
