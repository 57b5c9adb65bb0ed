namespace AgentMesh.Grains.Abstractions.Deliveries;

/// <summary>A delivery's headers and how its processing went.</summary>
/// <param name="ProcessedAt">When processing ended; null while it is pending.</param>
/// <param name="Outcome">What processing did, for people (e.g. <c>job … created</c>).</param>
/// <param name="Error">Why processing gave up, when it did.</param>
[GenerateSerializer]
[Alias("AgentMesh.DeliveryStatus")]
public sealed record DeliveryStatus(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string Event,
    [property: Id(2)] string? Action,
    [property: Id(3)] string? Repository,
    [property: Id(4)] DateTimeOffset ReceivedAt,
    [property: Id(5)] DateTimeOffset? ProcessedAt,
    [property: Id(6)] string? Outcome,
    [property: Id(7)] string? Error)
{
    public bool Processed => ProcessedAt is not null;
}
