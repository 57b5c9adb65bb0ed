using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using AgentMesh.Dashboard.Jobs;
using Microsoft.AspNetCore.Components;

namespace AgentMesh.Dashboard.Components.Jobs;

/// <summary>
/// A log line's HTML, made once per line. A job page may hold thousands of lines: as one markup frame each (not a
/// component each, with its own render buffers) a line costs the node about the size of its text. Everything the
/// agent wrote is HTML-encoded here; nothing it prints becomes markup.
/// </summary>
public static class LogLineMarkup
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static MarkupString For(long sequence, LogLineKind kind, string stream, string? tool, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder(text.Length + 96)
            .Append("<span style=\"opacity:.5\">").Append(sequence.ToString(CultureInfo.InvariantCulture)).Append(" </span>");
        switch (kind)
        {
            case LogLineKind.ToolCall:
                html.Append("<span class=\"am-tool\" data-testid=\"tool-call\">⚙ ").Append(Encoder.Encode(tool ?? ""))
                    .Append("</span> <span style=\"opacity:.8\">").Append(Encoder.Encode(text)).Append("</span>");
                break;
            case LogLineKind.ToolResult:
                html.Append("<span data-testid=\"tool-result\">↳ ").Append(Encoder.Encode(text)).Append("</span>");
                break;
            case LogLineKind.ToolError:
                html.Append("<span data-testid=\"tool-error\">↳ ✗ ").Append(Encoder.Encode(text)).Append("</span>");
                break;
            default:
                html.Append("<span style=\"opacity:.5\">").Append(Encoder.Encode(stream)).Append(" </span>").Append(Encoder.Encode(text));
                break;
        }
        return new MarkupString(html.ToString());
    }

    /// <summary>The line's CSS class (JobPage.razor's styles).</summary>
    public static string ClassOf(LogLineKind kind) => kind switch
    {
        LogLineKind.ToolCall => "am-log-toolcall",
        LogLineKind.ToolResult => "am-log-toolresult",
        LogLineKind.ToolError => "am-log-toolerror",
        LogLineKind.Error => "am-log-error",
        LogLineKind.System => "am-log-system",
        _ => "",
    };
}
