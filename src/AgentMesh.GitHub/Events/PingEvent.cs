namespace AgentMesh.GitHub.Events;

/// <summary><c>ping</c>: sent once when a webhook is created.</summary>
public sealed class PingEvent : WebhookEvent
{
    public override string EventName => WebhookEventNames.Ping;

    public string? Zen { get; init; }

    public long? HookId { get; init; }

    public PingHook? Hook { get; init; }
}
