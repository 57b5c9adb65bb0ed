using System.Text.Json;

namespace AgentMesh.GitHub.Webhooks;

/// <summary>
/// The few top-level fields the endpoint needs before the delivery is stored: which secrets to try and
/// how the inbox indexes it. Reading them also proves the body is a well-formed JSON object.
/// </summary>
/// <param name="Action">The payload's <c>action</c>, when it is a string.</param>
/// <param name="Repository">The payload's <c>repository.full_name</c>, when present.</param>
/// <param name="InstallationId">The payload's <c>installation.id</c>, when present.</param>
public sealed record WebhookRouting(string? Action, string? Repository, long? InstallationId)
{
    /// <summary>Reads the routing fields, or returns null when the body is not a well-formed JSON object.</summary>
    public static WebhookRouting? TryRead(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return new WebhookRouting(
                StringOrNull(root, "action"),
                root.TryGetProperty("repository", out var repo) && repo.ValueKind == JsonValueKind.Object ? StringOrNull(repo, "full_name") : null,
                root.TryGetProperty("installation", out var installation) && installation.ValueKind == JsonValueKind.Object
                    && installation.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value)
                    ? value
                    : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
