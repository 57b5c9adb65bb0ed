using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using AgentMesh.Testing;

namespace AgentMesh.Server.Tests;

/// <summary>The real <c>agentmesh</c> program started as a process, with its output captured.</summary>
internal sealed partial class AgentMeshProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private AgentMeshProcess(Process process)
    {
        _process = process;
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static AgentMeshProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "agentmesh.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var wrapper = new AgentMeshProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(wrapper._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(wrapper._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Waits for the "listening:" line and returns the first address.</summary>
    public async Task<Uri> WaitForListeningAsync()
    {
        Match? match = null;
        await Eventually.UntilAsync(
            () => (match = ListeningLine().Match(Stdout)).Success || _process.HasExited,
            "agentmesh serve to print its listening address");
        if (match is null || !match.Success)
        {
            throw new InvalidOperationException($"agentmesh exited with {_process.ExitCode} before listening. stdout: {Stdout} stderr: {Stderr}");
        }
        return new Uri(match.Groups[1].Value);
    }

    public async Task<int> WaitForExitAsync()
    {
        await Eventually.WithinAsync(_process.WaitForExitAsync(), "agentmesh to exit");
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (target)
        {
            target.AppendLine(line);
        }
    }

    [GeneratedRegex(@"listening: (http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
