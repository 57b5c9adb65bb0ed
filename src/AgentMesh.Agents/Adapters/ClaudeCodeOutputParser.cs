using System.Text.Json.Nodes;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// Reads Claude Code's stream-json output: <c>system/init</c> (session), <c>assistant</c> messages (text and
/// tool_use blocks), <c>user</c> messages (tool_result blocks), and <c>result</c> (usage, total_cost_usd,
/// session_id, is_error, api_error_status, api_error_type).
/// </summary>
public sealed class ClaudeCodeOutputParser : IAgentOutputParser
{
    public IReadOnlyList<AgentEvent> Parse(OutputLine line)
    {
        if (JsonLine.ObjectOrRaw(line, out var raw) is not { } json)
        {
            return raw;
        }
        return JsonLine.String(json["type"]) switch
        {
            "system" when JsonLine.String(json["subtype"]) == "init" =>
                [new SessionStarted(JsonLine.String(json["session_id"]) ?? "", JsonLine.String(json["model"]))],
            // An API failure is also echoed as a synthetic assistant message; the result line reports it.
            "assistant" when JsonLine.Bool(json["is_api_error_message"]) => [],
            "assistant" => Assistant(json["message"]?["content"]),
            "user" => ToolResults(json["message"]?["content"]),
            "result" => Result(json),
            _ => [],
        };
    }

    public IReadOnlyList<AgentEvent> Complete(ProcessExit exit) => [];

    private static List<AgentEvent> Assistant(JsonNode? content)
    {
        var events = new List<AgentEvent>();
        foreach (var block in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonLine.String(block["type"]))
            {
                case "text" when JsonLine.String(block["text"]) is { Length: > 0 } text:
                    events.Add(new AssistantText(text));
                    break;
                case "tool_use":
                    events.Add(new ToolCall(JsonLine.String(block["id"]) ?? "", JsonLine.String(block["name"]) ?? "",
                        block["input"]?.ToJsonString() ?? "{}"));
                    break;
                default:
                    break;
            }
        }
        return events;
    }

    private static List<AgentEvent> ToolResults(JsonNode? content) =>
        [.. (content as JsonArray ?? []).OfType<JsonObject>()
            .Where(b => JsonLine.String(b["type"]) == "tool_result")
            .Select(b => new ToolResult(JsonLine.String(b["tool_use_id"]) ?? "", JsonLine.Text(b["content"]), JsonLine.Bool(b["is_error"])))];

    private static List<AgentEvent> Result(JsonObject json)
    {
        var events = new List<AgentEvent>();
        if (json["usage"] is JsonObject usage)
        {
            events.Add(new UsageReported(new AgentUsage(
                JsonLine.Long(usage["input_tokens"]),
                JsonLine.Long(usage["output_tokens"]),
                JsonLine.Long(usage["cache_read_input_tokens"]),
                JsonLine.Long(usage["cache_creation_input_tokens"]))));
        }
        if (JsonLine.Decimal(json["total_cost_usd"]) is { } cost)
        {
            events.Add(new CostReported(cost));
        }
        var isError = JsonLine.Bool(json["is_error"]);
        var subtype = JsonLine.String(json["subtype"]) ?? "";
        var text = JsonLine.String(json["result"]) ?? "";
        if (isError || subtype.StartsWith("error", StringComparison.Ordinal))
        {
            var status = JsonLine.Int(json["api_error_status"]);
            var apiErrorType = JsonLine.String(json["api_error_type"]);
            var message = text.Length > 0 ? text : subtype;
            var kind = subtype == "error_max_turns" ? AgentErrorKind.MaxTurns
                : ProviderErrors.IsProviderError(status, message + " " + apiErrorType) ? AgentErrorKind.Provider
                : AgentErrorKind.Agent;
            events.Add(new AgentFailed(kind, status is { } s ? $"{message} (HTTP {s})" : message));
            isError = true;
        }
        events.Add(new FinalResult(text, JsonLine.String(json["session_id"]), isError));
        return events;
    }
}
