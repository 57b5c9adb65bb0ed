using AgentMesh.Grains.Abstractions.Deliveries;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Pipeline;

/// <summary>The webhook endpoint's inbox: each delivery goes to its own delivery grain, which stores and then processes it.</summary>
public sealed class GrainWebhookInbox(IGrainFactory grains) : IWebhookInbox
{
    public async Task<InboxAddResult> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var grain = grains.GetGrain<IDeliveryGrain>(delivery.DeliveryId);
        var accepted = await grain.AcceptAsync(new WebhookDelivery(
            delivery.DeliveryId,
            delivery.Event,
            delivery.Action,
            delivery.Repository,
            delivery.InstallationId,
            delivery.Payload,
            delivery.ReceivedAt)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return accepted ? InboxAddResult.Added : InboxAddResult.Duplicate;
    }
}
