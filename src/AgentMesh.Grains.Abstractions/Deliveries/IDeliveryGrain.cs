using Orleans.Concurrency;

namespace AgentMesh.Grains.Abstractions.Deliveries;

/// <summary>
/// The durable inbox for one webhook delivery (key: GitHub's <c>X-GitHub-Delivery</c>). The webhook
/// endpoint answers 202 only after <see cref="AcceptAsync"/> returned, so an acknowledged delivery
/// is in grain storage; the grain then processes it after the answer, and a reminder finishes the
/// job if the silo died in between. The key makes a redelivery a duplicate.
/// </summary>
public interface IDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Stores the delivery unless this grain already has one; true when it was new.</summary>
    Task<bool> AcceptAsync(WebhookDelivery delivery);

    /// <summary>Processes the stored delivery unless it was processed already. One-way: the caller never waits for it.</summary>
    [OneWay]
    Task ProcessAsync();

    /// <summary>What the grain knows of its delivery, or null when it never accepted one.</summary>
    Task<DeliveryStatus?> GetStatusAsync();
}
