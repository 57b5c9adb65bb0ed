using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Agents.Processes;

/// <summary>
/// One supervised agent process. It is started through <c>setsid</c> so it leads its own process group:
/// stop, timeout and interrupt signal the whole group, which takes the agent's tool processes (a test
/// runner, a dev server) down with it. Output is read line by line with asynchronous pipe reads, so a
/// node holds hundreds of agents without a thread each; stdin stays open for streaming input.
/// </summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    /// <summary>util-linux setsid: execs the program as a new session and process group leader, no shell involved.</summary>
    public const string SetsidPath = "/usr/bin/setsid";

    private const int NotTerminating = 0;
    private const int TerminatingForTimeout = 1;
    private const int TerminatingForStop = 2;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _gracePeriod;
    private readonly long _startTimestamp;
    private readonly Channel<OutputLine> _output = Channel.CreateUnbounded<OutputLine>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly SemaphoreSlim _stdinGate = new(1, 1);
    private readonly TaskCompletionSource _leaderExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer? _timeoutTimer;
    private int _termination = NotTerminating;
    private bool _stdinClosed;
    private Task? _terminationTask;

    private AgentProcess(Process process, AgentProcessStartInfo info, TimeProvider time, ILogger logger)
    {
        _process = process;
        _time = time;
        _logger = logger;
        _gracePeriod = info.GracePeriod;
        _startTimestamp = time.GetTimestamp();
        ProcessGroupId = process.Id;
        if (info.Timeout is { } timeout)
        {
            _timeoutTimer = time.CreateTimer(_ => _ = TerminateAsync(TerminatingForTimeout), null, timeout, Timeout.InfiniteTimeSpan);
        }
        var stdout = PumpAsync(process.StandardOutput, OutputStream.Stdout);
        var stderr = PumpAsync(process.StandardError, OutputStream.Stderr);
        Exited = SuperviseAsync(stdout, stderr);
    }

    /// <summary>The process id of the agent, which is also its process group id.</summary>
    public int ProcessGroupId { get; }

    /// <summary>Lines from stdout and stderr, interleaved in arrival order; completes after the process exits.</summary>
    public ChannelReader<OutputLine> Output => _output.Reader;

    /// <summary>Completes with the classified exit once the process has exited and its output is drained.</summary>
    public Task<ProcessExit> Exited { get; }

    /// <summary>Starts <paramref name="info"/> in its own process group with exactly the given environment.</summary>
    public static AgentProcess Start(AgentProcessStartInfo info, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        var psi = new ProcessStartInfo(SetsidPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            StandardInputEncoding = Utf8NoBom,
            WorkingDirectory = info.WorkingDirectory,
        };
        psi.ArgumentList.Add(info.FileName);
        foreach (var argument in info.Arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        // Start from nothing: the node's own variables (GitHub token, database connection string …) must
        // never reach an agent unless its profile names them.
        psi.Environment.Clear();
        foreach (var (name, value) in info.Environment)
        {
            psi.Environment[name] = value;
        }

        var process = new Process { StartInfo = psi };
        if (!LauncherThread.Run(process.Start))
        {
            throw new InvalidOperationException($"Could not start {info.FileName}.");
        }
        var log = logger ?? NullLogger.Instance;
        LogStarted(log, info.FileName, process.Id, info.WorkingDirectory);
        return new AgentProcess(process, info, time ?? TimeProvider.System, log);
    }

    /// <summary>Writes one line to the agent's stdin and flushes it.</summary>
    /// <returns>False when stdin is closed or the agent is gone.</returns>
    public async Task<bool> WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        await _stdinGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stdinClosed || _leaderExited.Task.IsCompleted)
            {
                return false;
            }
            var stdin = _process.StandardInput;
            await stdin.WriteAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdin.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            // EPIPE: the agent closed its end or exited between the check and the write.
            return false;
        }
        finally
        {
            _stdinGate.Release();
        }
    }

    /// <summary>Closes the agent's stdin (end of input); a stream-json CLI finishes its last turn and exits.</summary>
    public async Task CloseInputAsync()
    {
        await _stdinGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_stdinClosed)
            {
                _stdinClosed = true;
                try
                {
                    _process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // Already gone: nothing to close.
                }
            }
        }
        finally
        {
            _stdinGate.Release();
        }
    }

    /// <summary>Sends SIGINT to the agent's process group, as Ctrl-C in a terminal would.</summary>
    /// <returns>False when the group has already exited.</returns>
    public bool Interrupt() => !_leaderExited.Task.IsCompleted && NativeMethods.SignalGroup(ProcessGroupId, PosixSignal.Interrupt);

    /// <summary>
    /// Stops the agent: SIGTERM to the group, the grace period, then SIGKILL. Returns the exit, classified
    /// <see cref="ProcessExitKind.Stopped"/> unless it had already ended.
    /// </summary>
    public async Task<ProcessExit> StopAsync()
    {
        await TerminateAsync(TerminatingForStop).ConfigureAwait(false);
        return await Exited.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_leaderExited.Task.IsCompleted)
        {
            await StopAsync().ConfigureAwait(false);
        }
        else
        {
            await Exited.ConfigureAwait(false);
        }
        _timeoutTimer?.Dispose();
        _process.Dispose();
        _stdinGate.Dispose();
    }

    private Task TerminateAsync(int reason)
    {
        // An agent that already ended keeps its own classification.
        if (_leaderExited.Task.IsCompleted)
        {
            return Task.CompletedTask;
        }
        if (Interlocked.CompareExchange(ref _termination, reason, NotTerminating) != NotTerminating)
        {
            return Volatile.Read(ref _terminationTask) ?? Task.CompletedTask;
        }
        var task = TerminateCoreAsync(reason);
        Volatile.Write(ref _terminationTask, task);
        return task;
    }

    private async Task TerminateCoreAsync(int reason)
    {
        if (_leaderExited.Task.IsCompleted)
        {
            return;
        }
        LogTerminating(_logger, ProcessGroupId, reason == TerminatingForTimeout ? "timeout" : "stop", _gracePeriod);
        NativeMethods.SignalGroup(ProcessGroupId, PosixSignal.Terminate);
        // The delay is created before the first await so a fake clock sees it as soon as SIGTERM was sent.
        using var graceCancel = new CancellationTokenSource();
        var grace = Task.Delay(_gracePeriod, _time, graceCancel.Token);
        var first = await Task.WhenAny(_leaderExited.Task, grace).ConfigureAwait(false);
        await graceCancel.CancelAsync().ConfigureAwait(false);
        if (first != _leaderExited.Task)
        {
            LogKilling(_logger, ProcessGroupId);
            NativeMethods.SignalGroup(ProcessGroupId, PosixSignal.Kill);
        }
    }

    private async Task PumpAsync(StreamReader reader, OutputStream stream)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            _output.Writer.TryWrite(new OutputLine(stream, line));
        }
    }

    private async Task<ProcessExit> SuperviseAsync(Task stdout, Task stderr)
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _leaderExited.TrySetResult();
        _timeoutTimer?.Dispose();
        // The leader is gone; whatever it left behind in its group (background jobs, a server a tool
        // started) goes too. This also closes the pipes those stragglers hold, so the readers finish.
        NativeMethods.SignalGroup(ProcessGroupId, PosixSignal.Kill);
        try
        {
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A pipe torn down mid-read: the lines read so far are kept.
        }
        _output.Writer.TryComplete();

        var exitCode = _process.ExitCode;
        // .NET reports a process ended by signal N as 128 + N.
        int? signal = exitCode is > 128 and < 128 + 65 ? exitCode - 128 : null;
        var kind = Volatile.Read(ref _termination) switch
        {
            TerminatingForTimeout => ProcessExitKind.Timeout,
            TerminatingForStop => ProcessExitKind.Stopped,
            _ when exitCode == 0 => ProcessExitKind.Success,
            _ when signal is not null => ProcessExitKind.Crashed,
            _ => ProcessExitKind.AgentError,
        };
        var exit = new ProcessExit(kind, exitCode, signal, _time.GetElapsedTime(_startTimestamp));
        LogExited(_logger, ProcessGroupId, exit.Describe());
        return exit;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started agent {FileName} as process group {ProcessGroupId} in {WorkingDirectory}")]
    private static partial void LogStarted(ILogger logger, string fileName, int processGroupId, string workingDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Terminating agent process group {ProcessGroupId} ({Reason}): SIGTERM, then SIGKILL after {GracePeriod}")]
    private static partial void LogTerminating(ILogger logger, int processGroupId, string reason, TimeSpan gracePeriod);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent process group {ProcessGroupId} outlived its grace period: SIGKILL")]
    private static partial void LogKilling(ILogger logger, int processGroupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent process group {ProcessGroupId} exited: {Exit}")]
    private static partial void LogExited(ILogger logger, int processGroupId, string exit);
}
