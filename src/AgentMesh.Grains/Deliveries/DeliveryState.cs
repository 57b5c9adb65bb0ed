namespace AgentMesh.Grains.Deliveries;

/// <summary>A delivery grain's persisted state. The payload is kept only until the delivery is processed.</summary>
public sealed class DeliveryState
{
    public string? Event { get; set; }

    public string? Action { get; set; }

    public string? Repository { get; set; }

    public long? InstallationId { get; set; }

    public byte[]? Payload { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public string? Outcome { get; set; }

    public string? Error { get; set; }

    public bool Accepted => Event is not null;
}
