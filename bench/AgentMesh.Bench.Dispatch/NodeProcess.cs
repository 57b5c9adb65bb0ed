using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using AgentMesh.Testing;

namespace AgentMesh.Bench.Dispatch;

/// <summary>
/// A real <c>agentmesh serve</c> process started from this program's output folder, configured by environment
/// variables only (as an operator would, and as secrets must be).
/// </summary>
internal sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The node's console output so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<NodeProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentmesh.dll"));
        startInfo.ArgumentList.Add("serve");
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Match? match = null;
        await Eventually.UntilAsync(
            () => (match = ListeningLine().Match(node.Output)).Success || process.HasExited,
            "the node to print its listening address",
            TimeSpan.FromSeconds(90));
        if (!match!.Success)
        {
            throw new InvalidOperationException($"The node exited with {process.ExitCode} before listening:\n{node.Output}");
        }
        node.BaseAddress = new Uri(match.Groups[1].Value);
        return node;
    }

    /// <summary>
    /// The node's own timestamp of the first log message containing every one of <paramref name="parts"/>, or null.
    /// The node is started with UTC millisecond timestamps on its console log (see <see cref="TimestampSettings"/>);
    /// the console formatter stamps a message when it is logged, on the logging thread.
    /// </summary>
    public DateTimeOffset? LogTime(params string[] parts)
    {
        DateTimeOffset? header = null;
        foreach (var line in Output.Split('\n'))
        {
            var match = LogHeader().Match(line);
            if (match.Success)
            {
                header = DateTimeOffset.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (header is not null && parts.All(p => line.Contains(p, StringComparison.Ordinal)))
            {
                return header;
            }
        }
        return null;
    }

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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?:trce|dbug|info|warn|fail|crit):")]
    private static partial Regex LogHeader();

    [GeneratedRegex(@"listening: (http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
