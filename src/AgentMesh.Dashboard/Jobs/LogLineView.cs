using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Dashboard.Jobs;

/// <summary>What a stored log line is, for the job page to show it as such.</summary>
public enum LogLineKind
{
    /// <summary>What the agent said.</summary>
    Agent,

    /// <summary>A tool the agent called, with its input.</summary>
    ToolCall,

    /// <summary>What a tool answered.</summary>
    ToolResult,

    /// <summary>A tool that failed.</summary>
    ToolError,

    /// <summary>The node's own notes: attempts, worktrees, guards, egress, usage.</summary>
    System,

    /// <summary>An error, or the agent's standard error.</summary>
    Error,

    /// <summary>The agent's final answer.</summary>
    Result,
}

/// <summary>
/// One log line as the job page shows it. The worker writes a tool call as <c>tool</c> lines
/// "<c>Name {input json}</c>", its answer as <c>tool_result</c> or <c>tool_error</c> (JobExecution.WriteEvent);
/// this reads them back so a call shows its tool's name apart from its input.
/// </summary>
public sealed record LogLineView(long Sequence, LogLineKind Kind, string Stream, string? Tool, string Text)
{
    /// <summary>The line as the page shows it, made once (<see cref="Components.Jobs.LogLineMarkup"/>).</summary>
    public Microsoft.AspNetCore.Components.MarkupString Markup { get; } = Components.Jobs.LogLineMarkup.For(Sequence, Kind, Stream, Tool, Text);

    public static LogLineView From(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var kind = KindOf(line.Stream);
        if (kind == LogLineKind.ToolCall)
        {
            var space = line.Text.IndexOf(' ', StringComparison.Ordinal);
            return space > 0
                ? new(line.Sequence, kind, line.Stream, line.Text[..space], line.Text[(space + 1)..])
                : new(line.Sequence, kind, line.Stream, line.Text, "");
        }
        return new(line.Sequence, kind, line.Stream, null, line.Text);
    }

    /// <summary>Whether the line holds <paramref name="search"/> (any case), in its tool's name, its stream or its text.</summary>
    public bool Matches(string? search) =>
        string.IsNullOrWhiteSpace(search)
        || Text.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
        || (Tool?.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase) ?? false)
        || Stream.Equals(search.Trim(), StringComparison.OrdinalIgnoreCase);

    private static LogLineKind KindOf(string stream) => stream switch
    {
        "agent" => LogLineKind.Agent,
        "tool" => LogLineKind.ToolCall,
        "tool_result" => LogLineKind.ToolResult,
        "tool_error" => LogLineKind.ToolError,
        "error" or "stderr" => LogLineKind.Error,
        "result" => LogLineKind.Result,
        _ => LogLineKind.System,
    };
}
