using System.Text;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// Reads Gemini CLI's stream-json: init (session_id, model), message (role, content, delta), tool_use
/// (tool_name, tool_id, parameters), tool_result (tool_id, status, output, error), error (severity,
/// message) and result (status, stats with input_tokens, output_tokens, cached, error).
/// </summary>
public sealed class GeminiOutputParser : IAgentOutputParser
{
    private readonly StringBuilder _answer = new();
    private string? _sessionId;
    private bool _sawResult;

    public IReadOnlyList<AgentEvent> Parse(OutputLine line)
    {
        if (JsonLine.ObjectOrRaw(line, out var raw) is not { } json)
        {
            return raw;
        }
        switch (JsonLine.String(json["type"]))
        {
            case "init":
                _sessionId = JsonLine.String(json["session_id"]);
                return [new SessionStarted(_sessionId ?? "", JsonLine.String(json["model"]))];
            case "message" when JsonLine.String(json["role"]) == "assistant":
                var content = JsonLine.String(json["content"]) ?? "";
                _answer.Append(content);
                return content.Length == 0 ? [] : [new AssistantText(content)];
            case "tool_use":
                return [new ToolCall(JsonLine.String(json["tool_id"]) ?? "", JsonLine.String(json["tool_name"]) ?? "",
                    json["parameters"]?.ToJsonString() ?? "{}")];
            case "tool_result":
                var isError = JsonLine.String(json["status"]) == "error";
                var output = JsonLine.String(json["output"]) ?? JsonLine.String(json["error"]?["message"]) ?? "";
                return [new ToolResult(JsonLine.String(json["tool_id"]) ?? "", output, isError)];
            case "error" when JsonLine.String(json["severity"]) == "error":
                return [Failure(JsonLine.String(json["message"]) ?? "Gemini reported an error.")];
            case "error":
                return [new RawOutput(JsonLine.String(json["message"]) ?? "", FromStderr: false)];
            case "result":
                return Result(json);
            default:
                return [];
        }
    }

    public IReadOnlyList<AgentEvent> Complete(ProcessExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        return _sawResult ? [] : [new FinalResult(_answer.ToString(), _sessionId, IsError: true)];
    }

    private List<AgentEvent> Result(System.Text.Json.Nodes.JsonObject json)
    {
        _sawResult = true;
        var events = new List<AgentEvent>();
        if (json["stats"] is System.Text.Json.Nodes.JsonObject stats)
        {
            events.Add(new UsageReported(new AgentUsage(
                JsonLine.Long(stats["input_tokens"]), JsonLine.Long(stats["output_tokens"]), JsonLine.Long(stats["cached"]), 0)));
        }
        var isError = JsonLine.String(json["status"]) == "error";
        if (isError)
        {
            events.Add(Failure(JsonLine.String(json["error"]?["message"]) ?? "Gemini reported a failed result."));
        }
        events.Add(new FinalResult(_answer.ToString(), _sessionId, isError));
        return events;
    }

    private static AgentFailed Failure(string message) =>
        new(ProviderErrors.IsProviderError(null, message) ? AgentErrorKind.Provider : AgentErrorKind.Agent, message);
}
