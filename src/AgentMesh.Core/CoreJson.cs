using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentMesh.Core;

/// <summary>
/// The JSON settings under which the store persists actor state, commands and events. Enums are written by their
/// snake_case names (so <c>JobState.WaitingForReply</c> is <c>"waiting_for_reply"</c>, the same wire name as
/// <see cref="Jobs.JobStateNames.ToWire"/>), properties in camelCase. Reading back what was written gives an equal
/// value; the round-trip tests pin that.
/// </summary>
public static class CoreJson
{
    /// <summary>Shared, read-only options instance.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
