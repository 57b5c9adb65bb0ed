using System.Text.Json.Serialization;
using AgentMesh.GitHub.Models;

namespace AgentMesh.GitHub.Events;

/// <summary>
/// A parsed webhook delivery. <see cref="WebhookEventParser"/> returns one of the typed subclasses for
/// the events and actions AgentMesh acts on, and <see cref="UnknownWebhookEvent"/> for everything else.
/// </summary>
public abstract class WebhookEvent
{
    /// <summary>The <c>X-GitHub-Event</c> name, e.g. <c>issues</c>.</summary>
    [JsonIgnore]
    public abstract string EventName { get; }

    /// <summary>The payload's <c>action</c> (null for <c>ping</c>).</summary>
    public string? Action { get; init; }

    public GitHubRepository? Repository { get; init; }

    public GitHubUser? Sender { get; init; }

    /// <summary>Set when the delivery came through a GitHub App installation.</summary>
    public GitHubInstallation? Installation { get; init; }
}
