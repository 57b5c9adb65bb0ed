using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentMesh.Testing;

/// <summary>
/// The real <c>agentmesh</c> program (agentmesh.dll in the caller's output folder) as a process:
/// configured by environment variables (as secrets must be), its output captured, signalled like a
/// terminal or killed like a power cut. Used by the node, CLI and end-to-end tests and the benchmarks.
/// </summary>
public sealed partial class AgentMeshProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _output = new();

    private AgentMeshProgram(Process process) => _process = process;

    /// <summary>Where a started <c>serve</c> listens, once <see cref="WaitForListeningAsync"/> saw it.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    /// <summary>Standard output and error interleaved as they arrived.</summary>
    public string Output => Read(_output);

    public static AgentMeshProgram Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentmesh.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var program = new AgentMeshProgram(process);
        process.OutputDataReceived += (_, e) => program.Append(program._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => program.Append(program._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return program;
    }

    /// <summary>
    /// Starts <c>agentmesh serve</c> on a free loopback port and waits until it listens and its
    /// <c>/readyz</c> answers 200, as a load balancer would before sending it webhooks.
    /// </summary>
    public static async Task<AgentMeshProgram> StartServeAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan? timeout = null)
    {
        var program = Start(workingDirectory, environment, "serve", "--urls", "http://127.0.0.1:0");
        await program.WaitForListeningAsync(timeout);
        await program.WaitForReadyAsync(timeout);
        return program;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (silo active, reminders read, store current).</summary>
    public async Task WaitForReadyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var lastAnswer = "no answer yet";
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    if (_process.HasExited)
                    {
                        return true;
                    }
                    using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                    lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    return response.IsSuccessStatusCode;
                },
                $"agentmesh serve at {BaseAddress} to answer /readyz with 200",
                timeout ?? TimeSpan.FromSeconds(60),
                pollEvery: TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException notReady)
        {
            throw new TimeoutException($"{notReady.Message} (its last answer: {lastAnswer})", notReady);
        }
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"agentmesh exited with {_process.ExitCode} before it was ready:\n{Output}");
        }
    }

    /// <summary>Waits for serve's "listening:" line and returns the address.</summary>
    public async Task<Uri> WaitForListeningAsync(TimeSpan? timeout = null)
    {
        Match? match = null;
        await Eventually.UntilAsync(
            () => (match = ListeningLine().Match(Stdout)).Success || _process.HasExited,
            "agentmesh serve to print its listening address",
            timeout ?? TimeSpan.FromSeconds(60));
        if (match is null || !match.Success)
        {
            throw new InvalidOperationException($"agentmesh exited with {_process.ExitCode} before listening:\n{Output}");
        }
        BaseAddress = new Uri(match.Groups[1].Value);
        return BaseAddress;
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await Eventually.WithinAsync(_process.WaitForExitAsync(), $"agentmesh to exit (output so far:\n{Tail(Output)})", timeout ?? TimeSpan.FromSeconds(60));
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Sends a signal by name (<c>INT</c> as Ctrl+C does, <c>TERM</c> as a service manager does).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with {kill.ExitCode}.");
        }
    }

    /// <summary>Kills the program and everything it started, as a power cut would: no shutdown, no hand-back.</summary>
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

    public static string Tail(string text, int characters = 4000) => text.Length <= characters ? text : text[^characters..];

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            target.AppendLine(line);
            _output.AppendLine(line);
        }
    }

    private string Read(StringBuilder source)
    {
        lock (_output)
        {
            return source.ToString();
        }
    }

    [GeneratedRegex(@"listening: (http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
