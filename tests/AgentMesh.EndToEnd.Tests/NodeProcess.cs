using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using AgentMesh.Testing;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>A real <c>agentmesh serve</c> process: configured by environment (as secrets must be), killable like a crash.</summary>
internal sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => _process.Id;

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
            TimeSpan.FromSeconds(60));
        if (!match!.Success)
        {
            throw new InvalidOperationException($"The node exited with {process.ExitCode} before listening:\n{node.Output}");
        }
        node.BaseAddress = new Uri(match.Groups[1].Value);
        return node;
    }

    public async Task<int> WaitForExitAsync()
    {
        await AgentMesh.Testing.Eventually.WithinAsync(_process.WaitForExitAsync(), "the node to exit", TimeSpan.FromSeconds(60));
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Kills the node and everything it started, as a power cut would: no shutdown, no hand-back.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
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

    [GeneratedRegex(@"listening: (http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
