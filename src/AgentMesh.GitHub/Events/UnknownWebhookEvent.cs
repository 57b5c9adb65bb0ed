namespace AgentMesh.GitHub.Events;

/// <summary>An event or action AgentMesh does not act on. It is stored and acknowledged like any other.</summary>
public sealed class UnknownWebhookEvent(string eventName, string? action) : WebhookEvent
{
    public override string EventName { get; } = eventName;

    /// <summary>The payload's <c>action</c>, when it had one.</summary>
    public string? RawAction { get; } = action;
}
