using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentMesh.GitHub.Events;

/// <summary>
/// Turns a stored delivery (event name + raw body) into a typed event. Only the actions AgentMesh acts
/// on become typed events; any other event or action is an <see cref="UnknownWebhookEvent"/>, so new
/// actions GitHub adds never break intake.
/// </summary>
public static class WebhookEventParser
{
    private static readonly Dictionary<string, (HashSet<string?> Actions, JsonTypeInfo Type)> Known = new(StringComparer.Ordinal)
    {
        [WebhookEventNames.Ping] = ([null], GitHubJsonContext.Default.PingEvent),
        [WebhookEventNames.Issues] = (["opened", "edited", "labeled", "unlabeled", "assigned", "closed", "reopened"], GitHubJsonContext.Default.IssuesEvent),
        [WebhookEventNames.IssueComment] = (["created", "edited"], GitHubJsonContext.Default.IssueCommentEvent),
        [WebhookEventNames.PullRequest] = (["opened", "synchronize", "reopened", "closed"], GitHubJsonContext.Default.PullRequestEvent),
        [WebhookEventNames.PullRequestReview] = (["submitted"], GitHubJsonContext.Default.PullRequestReviewEvent),
        [WebhookEventNames.PullRequestReviewComment] = (["created"], GitHubJsonContext.Default.PullRequestReviewCommentEvent),
        [WebhookEventNames.Installation] = (["created", "deleted", "suspend", "unsuspend", "new_permissions_accepted"], GitHubJsonContext.Default.InstallationEvent),
        [WebhookEventNames.InstallationRepositories] = (["added", "removed"], GitHubJsonContext.Default.InstallationRepositoriesEvent),
        [WebhookEventNames.Member] = (["added"], GitHubJsonContext.Default.MemberEvent),
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
        return (WebhookEvent)(JsonSerializer.Deserialize(payload, known.Type)
            ?? throw new JsonException($"The {eventName} payload is JSON null."));
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
