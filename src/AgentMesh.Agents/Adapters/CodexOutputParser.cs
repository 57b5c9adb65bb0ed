using System.Text.Json.Nodes;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// Reads <c>codex exec --json</c>: thread.started (thread_id), item.started / item.completed with items of
/// type agent_message, command_execution, file_change, mcp_tool_call …, turn.completed (usage with
/// input_tokens, cached_input_tokens, output_tokens), turn.failed and error.
/// </summary>
public sealed class CodexOutputParser : IAgentOutputParser
{
    private string? _threadId;
    private string _lastMessage = "";
    private bool _failed;

    public IReadOnlyList<AgentEvent> Parse(OutputLine line)
    {
        if (JsonLine.ObjectOrRaw(line, out var raw) is not { } json)
        {
            return raw;
        }
        switch (JsonLine.String(json["type"]))
        {
            case "thread.started":
                _threadId = JsonLine.String(json["thread_id"]);
                return [new SessionStarted(_threadId ?? "", null)];
            case "item.started" when json["item"] is JsonObject item && IsTool(item):
                return [new ToolCall(JsonLine.String(item["id"]) ?? "", JsonLine.String(item["type"]) ?? "", ToolInput(item))];
            case "item.completed" when json["item"] is JsonObject item:
                return Completed(item);
            case "turn.completed" when json["usage"] is JsonObject usage:
                return [new UsageReported(new AgentUsage(
                    JsonLine.Long(usage["input_tokens"]), JsonLine.Long(usage["output_tokens"]), JsonLine.Long(usage["cached_input_tokens"]), 0))];
            case "turn.failed":
                _failed = true;
                return [Failure(JsonLine.String(json["error"]?["message"]) ?? "The turn failed.")];
            case "error":
                _failed = true;
                return [Failure(JsonLine.String(json["message"]) ?? "Codex reported an error.")];
            default:
                return [];
        }
    }

    public IReadOnlyList<AgentEvent> Complete(ProcessExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        return [new FinalResult(_lastMessage, _threadId, _failed || exit.Kind != ProcessExitKind.Success)];
    }

    private List<AgentEvent> Completed(JsonObject item)
    {
        var id = JsonLine.String(item["id"]) ?? "";
        switch (JsonLine.String(item["type"]))
        {
            case "agent_message":
                _lastMessage = JsonLine.String(item["text"]) ?? "";
                return [new AssistantText(_lastMessage)];
            case "command_execution":
                var exitCode = JsonLine.Int(item["exit_code"]);
                return [new ToolResult(id, JsonLine.String(item["aggregated_output"]) ?? "",
                    JsonLine.String(item["status"]) == "failed" || exitCode is not null and not 0)];
            case "file_change":
                var changes = (item["changes"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(c => $"{JsonLine.String(c["kind"])} {JsonLine.String(c["path"])}");
                return [new ToolResult(id, string.Join("\n", changes), JsonLine.String(item["status"]) == "failed")];
            case "mcp_tool_call" or "web_search":
                return [new ToolResult(id, item.ToJsonString(), JsonLine.String(item["status"]) == "failed")];
            case "error":
                return [new RawOutput(JsonLine.String(item["message"]) ?? "", FromStderr: false)];
            default:
                return [];
        }
    }

    private static bool IsTool(JsonObject item) =>
        JsonLine.String(item["type"]) is "command_execution" or "file_change" or "mcp_tool_call" or "web_search";

    private static string ToolInput(JsonObject item) => JsonLine.String(item["type"]) switch
    {
        "command_execution" => new JsonObject { ["command"] = item["command"]?.DeepClone() }.ToJsonString(),
        "file_change" => new JsonObject { ["changes"] = item["changes"]?.DeepClone() }.ToJsonString(),
        _ => item.ToJsonString(),
    };

    private static AgentFailed Failure(string message) =>
        new(ProviderErrors.IsProviderError(null, message) ? AgentErrorKind.Provider : AgentErrorKind.Agent, message);
}
