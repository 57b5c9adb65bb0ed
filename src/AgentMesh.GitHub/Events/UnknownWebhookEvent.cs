using Octokit.Webhooks;

namespace AgentMesh.GitHub.Events;

/// <summary>
/// An event or action AgentMesh does not act on. It is stored and acknowledged like any other; only its
/// name and action are read, so a new event or action GitHub adds never fails intake.
/// </summary>
public sealed record UnknownWebhookEvent : WebhookEvent
{
    public UnknownWebhookEvent(string eventName, string? action)
    {
        EventName = eventName;
        RawAction = action;
        Action = action;
    }

    /// <summary>The <c>X-GitHub-Event</c> name.</summary>
    public string EventName { get; }

    /// <summary>The payload's <c>action</c>, when it had one.</summary>
    public string? RawAction { get; }
}
