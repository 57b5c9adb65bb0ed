using System.Globalization;
using System.Text.RegularExpressions;
using AgentMesh.Testing;

namespace AgentMesh.Bench.Dispatch;

/// <summary>Reads the node's own log timestamps out of its console output.</summary>
internal static partial class NodeLog
{
    /// <summary>Console log settings that put a UTC timestamp with milliseconds on every message, and keep request noise out.</summary>
    public static IReadOnlyDictionary<string, string> TimestampSettings { get; } = new Dictionary<string, string>
    {
        // Without a formatter name the console logger takes its legacy options and ignores FormatterOptions.
        ["AGENTMESH_Logging__Console__FormatterName"] = "simple",
        ["AGENTMESH_Logging__Console__FormatterOptions__TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
        ["AGENTMESH_Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        // The bench polls the admin API between samples; ASP.NET Core's per-request lines would only bury the node's own.
        ["AGENTMESH_Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>
    /// The node's own timestamp of the first log message containing every one of <paramref name="parts"/>, or null.
    /// The node must run with <see cref="TimestampSettings"/>; the console formatter stamps a message when it is logged.
    /// </summary>
    public static DateTimeOffset? LogTime(this AgentMeshProgram node, params string[] parts)
    {
        DateTimeOffset? header = null;
        foreach (var line in node.Output.Split('\n'))
        {
            var match = LogHeader().Match(line);
            if (match.Success)
            {
                header = DateTimeOffset.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            if (header is not null && parts.All(p => line.Contains(p, StringComparison.Ordinal)))
            {
                return header;
            }
        }
        return null;
    }

    /// <summary>How many of the node's output lines contain <paramref name="text"/>.</summary>
    public static int CountLines(this AgentMeshProgram node, string text) =>
        node.Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?:trce|dbug|info|warn|fail|crit):")]
    private static partial Regex LogHeader();
}
