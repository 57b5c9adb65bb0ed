using AgentMesh.Dashboard.Jobs;
using Microsoft.AspNetCore.Components;

namespace AgentMesh.Dashboard.Components.Jobs;

/// <summary>
/// One stored log line. A stored line never changes, so a row renders once: a new batch re-renders the log's
/// list of rows, not the markup of every line in it.
/// </summary>
public sealed partial class LogLineRow
{
    private LogLineView? _rendered;

    [Parameter, EditorRequired]
    public LogLineView Line { get; set; } = null!;

    protected override bool ShouldRender() => !ReferenceEquals(_rendered, Line);

    protected override void OnAfterRender(bool firstRender) => _rendered = Line;

    private static string LineClass(LogLineKind kind) => kind switch
    {
        LogLineKind.ToolCall => "am-log-toolcall",
        LogLineKind.ToolResult => "am-log-toolresult",
        LogLineKind.ToolError => "am-log-toolerror",
        LogLineKind.Error => "am-log-error",
        LogLineKind.System => "am-log-system",
        _ => "",
    };
}
