using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentMesh.Guardrails.Audit;

/// <summary>
/// Turns a tool call as the agent CLIs report it (a tool name and its input as JSON) into what an audit needs:
/// a command line, files read, files written. Knows the tool shapes of Claude Code (Bash, Read, Write, Edit,
/// MultiEdit, NotebookEdit), Codex (command_execution, file_change) and Gemini CLI (run_shell_command,
/// read_file, read_many_files, write_file, replace); any other tool keeps a shortened copy of its input.
/// </summary>
internal static class ToolCallClassifier
{
    /// <summary>How much of an unknown tool's input is kept: enough to see what it did, bounded per call.</summary>
    public const int MaxDetailLength = 500;

    private static readonly HashSet<string> ShellTools = new(StringComparer.OrdinalIgnoreCase) { "Bash", "command_execution", "run_shell_command", "shell" };
    private static readonly HashSet<string> ReadTools = new(StringComparer.OrdinalIgnoreCase) { "Read", "NotebookRead", "read_file", "read_many_files" };
    private static readonly HashSet<string> WriteTools = new(StringComparer.OrdinalIgnoreCase) { "Write", "Edit", "MultiEdit", "NotebookEdit", "write_file", "replace", "file_change" };
    private static readonly string[] PathKeys = ["file_path", "notebook_path", "absolute_path", "path"];

    public static (string? CommandLine, IReadOnlyList<string> Read, IReadOnlyList<string> Written, string? Detail) Classify(string tool, string inputJson)
    {
        var input = Parse(inputJson);
        if (ShellTools.Contains(tool))
        {
            return (CommandLine(input?["command"]) ?? inputJson, [], [], null);
        }
        if (ReadTools.Contains(tool))
        {
            return (null, Paths(input), [], null);
        }
        if (WriteTools.Contains(tool))
        {
            return (null, [], Paths(input), null);
        }
        return (null, [], [], inputJson.Length <= MaxDetailLength ? inputJson : inputJson[..MaxDetailLength] + "…");
    }

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A command is a string, or (Codex, some MCP shells) an argv array shown the way a shell would take it.</summary>
    private static string? CommandLine(JsonNode? command) => command switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray argv => string.Join(' ', argv.Select(a => a?.ToString() ?? "").Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)),
        _ => null,
    };

    private static List<string> Paths(JsonObject? input)
    {
        if (input is null)
        {
            return [];
        }
        var paths = new List<string>();
        foreach (var key in PathKeys)
        {
            if (input[key] is JsonValue value && value.TryGetValue<string>(out var path))
            {
                paths.Add(path);
                break;
            }
        }
        if (input["paths"] is JsonArray many)
        {
            paths.AddRange(many.OfType<JsonValue>().Select(v => v.ToString()));
        }
        if (input["changes"] is JsonArray changes)
        {
            paths.AddRange(changes.OfType<JsonObject>().Select(c => c["path"]?.ToString()).OfType<string>());
        }
        return paths;
    }
}
