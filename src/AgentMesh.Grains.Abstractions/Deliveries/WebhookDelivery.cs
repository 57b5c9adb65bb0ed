namespace AgentMesh.Grains.Abstractions.Deliveries;

/// <summary>A verified webhook delivery as the endpoint received it.</summary>
/// <param name="DeliveryId">The <c>X-GitHub-Delivery</c> header.</param>
/// <param name="Event">The <c>X-GitHub-Event</c> header, e.g. <c>issues</c>.</param>
/// <param name="Action">The payload's <c>action</c>, when it has one.</param>
/// <param name="Repository">The payload's <c>repository.full_name</c>, when it has one.</param>
/// <param name="InstallationId">The payload's <c>installation.id</c>, when it has one.</param>
/// <param name="Payload">The raw JSON body as it was signed; dropped from storage once processed.</param>
/// <param name="ReceivedAt">When the endpoint accepted it.</param>
[GenerateSerializer]
[Alias("AgentMesh.WebhookDelivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string Event,
    [property: Id(2)] string? Action,
    [property: Id(3)] string? Repository,
    [property: Id(4)] long? InstallationId,
    [property: Id(5)] byte[] Payload,
    [property: Id(6)] DateTimeOffset ReceivedAt);
