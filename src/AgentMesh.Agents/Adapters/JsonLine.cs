using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;

namespace AgentMesh.Agents.Adapters;

/// <summary>Small helpers for reading JSON-lines output defensively: CLIs add fields and mix in plain text.</summary>
internal static class JsonLine
{
    /// <summary>
    /// The line as a JSON object; or null, with <paramref name="raw"/> holding what a line that is not
    /// one becomes: stderr and plain text pass through as raw output, an empty line as nothing.
    /// </summary>
    public static JsonObject? ObjectOrRaw(OutputLine line, out IReadOnlyList<AgentEvent> raw)
    {
        raw = [];
        if (line.Stream == OutputStream.Stderr)
        {
            raw = [new RawOutput(line.Text, FromStderr: true)];
            return null;
        }
        var json = TryParseObject(line.Text);
        if (json is null && line.Text.Length > 0)
        {
            raw = [new RawOutput(line.Text, FromStderr: false)];
        }
        return json;
    }

    public static JsonObject? TryParseObject(string line)
    {
        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length == 0 || trimmed[0] != '{')
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    public static long Long(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<long>(out var l) || (value.TryGetValue<double>(out var d) && (l = (long)d) == l)) ? l : 0;

    public static bool Bool(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var b) && b;

    public static decimal? Decimal(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<decimal>(out var d) ? d : null;

    public static int? Int(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var i) ? i : null;

    /// <summary>A tool result's content: a string, or the text of its blocks.</summary>
    public static string Text(JsonNode? content) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray blocks => string.Join("\n", blocks.OfType<JsonObject>().Select(b => String(b["text"])).Where(t => t is not null)),
        null => "",
        _ => content.ToJsonString(),
    };
}
