using AgentMesh.GitHub.Events;
using AgentMesh.Grains.Abstractions.Deliveries;
using AgentMesh.Grains.Deliveries;

namespace AgentMesh.Server.Pipeline;

/// <summary>What a delivery grain does with its delivery: parse, route to an intent, act on it.</summary>
public sealed class DeliveryProcessor(WebhookRouter router, WorkIntentHandler handler) : IDeliveryProcessor
{
    public Task<string> ProcessAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var webhook = WebhookEventParser.Parse(delivery.Event, delivery.Payload);
        return handler.HandleAsync(router.Route(webhook), cancellationToken);
    }
}
