using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;

namespace AgentMesh.GitHub.Events;

/// <summary>
/// Turns a stored delivery (event name + raw body) into Octokit.Webhooks' typed event. Only the events and
/// actions AgentMesh acts on are typed; any other is an <see cref="UnknownWebhookEvent"/>, so an action
/// GitHub adds (which Octokit.Webhooks would refuse) never fails intake.
/// </summary>
public static class WebhookEventParser
{
    private static readonly Dictionary<string, (HashSet<string?> Actions, Type Type)> Known = new(StringComparer.Ordinal)
    {
        [WebhookEventNames.Ping] = ([null], typeof(PingEvent)),
        [WebhookEventNames.Push] = ([null], typeof(PushEvent)),
        [WebhookEventNames.Issues] = (["opened", "edited", "labeled", "unlabeled", "assigned", "closed", "reopened"], typeof(IssuesEvent)),
        [WebhookEventNames.IssueComment] = (["created", "edited"], typeof(IssueCommentEvent)),
        [WebhookEventNames.PullRequest] = (["opened", "synchronize", "reopened", "closed"], typeof(PullRequestEvent)),
        [WebhookEventNames.PullRequestReview] = (["submitted"], typeof(PullRequestReviewEvent)),
        [WebhookEventNames.PullRequestReviewComment] = (["created"], typeof(PullRequestReviewCommentEvent)),
        [WebhookEventNames.Installation] = (["created", "deleted", "suspend", "unsuspend", "new_permissions_accepted"], typeof(InstallationEvent)),
        [WebhookEventNames.InstallationRepositories] = (["added", "removed"], typeof(InstallationRepositoriesEvent)),
        [WebhookEventNames.Member] = (["added"], typeof(MemberEvent)),
    };

    private static readonly Dictionary<Type, string> Names = Known.ToDictionary(k => k.Value.Type, k => k.Key);

    /// <summary>
    /// Octokit.Webhooks' own metadata with one change: members it marks <c>required</c> may be missing.
    /// GitHub leaves some of them out depending on where an event comes from, and a delivery that fails
    /// to parse over a field AgentMesh never reads would be work lost.
    /// </summary>
    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AllowMissingMembers } },
    };

    /// <summary>Parses <paramref name="payload"/> as the event <paramref name="eventName"/>.</summary>
    /// <exception cref="JsonException">The body is not JSON, or not the shape of that event.</exception>
    public static WebhookEvent Parse(string eventName, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var action = ReadAction(payload);
        if (!Known.TryGetValue(eventName, out var known) || !known.Actions.Contains(action))
        {
            return new UnknownWebhookEvent(eventName, action);
        }
        return (WebhookEvent)(JsonSerializer.Deserialize(payload, known.Type, Options)
            ?? throw new JsonException($"The {eventName} payload is JSON null."));
    }

    /// <summary>The <c>X-GitHub-Event</c> name of a parsed event.</summary>
    public static string EventNameOf(WebhookEvent webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (webhook is UnknownWebhookEvent unknown)
        {
            return unknown.EventName;
        }
        for (var type = webhook.GetType(); type is not null; type = type.BaseType)
        {
            if (Names.TryGetValue(type, out var name))
            {
                return name;
            }
        }
        throw new ArgumentException($"{webhook.GetType().Name} is not an event {nameof(WebhookEventParser)} makes.", nameof(webhook));
    }

    private static void AllowMissingMembers(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            property.IsRequired = false;
        }
    }

    /// <summary>Reads the top-level <c>action</c> without materialising the payload.</summary>
    private static string? ReadAction(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A webhook payload must be a JSON object.");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAction = reader.ValueTextEquals("action"u8);
            reader.Read();
            if (isAction)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            reader.Skip();
        }
        return null;
    }
}
