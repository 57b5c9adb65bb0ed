using System.Text;
using System.Threading.Channels;
using CliWrap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Agents.Processes;

/// <summary>
/// One supervised agent process, run through CliWrap. It is started through <see cref="AgentLauncher"/> so it leads its own
/// process group: stop, timeout and interrupt signal the whole group, which takes the agent's tool processes (a
/// test runner, a dev server) down with it. Output is read line by line in CliWrap's pipe targets (asynchronous
/// reads, no thread per pipe), so a node holds hundreds of agents; stdin is a CliWrap pipe source that stays open
/// for streaming input until <see cref="CloseInputAsync"/>.
/// </summary>
/// <remarks>
/// What this class adds to CliWrap, and why: CliWrap starts the process, owns its three pipes and reports its exit
/// code; its cancellation signals one process (SIGINT, or a kill of the process tree it can see), once. Agents need
/// the whole process GROUP signalled (an orphan reparented to init is no longer in the tree, but still in the
/// group), SIGTERM and a grace period before SIGKILL, a SIGINT that can be sent more than once, and the group killed
/// when its leader exits (a straggler holding the output pipes would otherwise keep CliWrap waiting for their end).
/// Those go through <see cref="NativeMethods.SignalGroup"/>. CliWrap also merges the node's environment into the
/// child's (it can only add, override or remove variables by name); <see cref="ExactEnvironment"/> gives the
/// child exactly the start info's environment instead.
/// </remarks>
public sealed partial class AgentProcess : IAsyncDisposable
{
    private const int NotTerminating = 0;
    private const int TerminatingForTimeout = 1;
    private const int TerminatingForStop = 2;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private const int NotLaunched = 0;
    private const int Launched = 1;
    private const int Discarded = 2;

    /// <summary>A standby launcher's working directory and environment until it execs its agent: nothing of the node's.</summary>
    private const string StandbyWorkingDirectory = "/";
    private static readonly Dictionary<string, string> NoVariables = [];

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<OutputLine> _output = Channel.CreateUnbounded<OutputLine>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly SemaphoreSlim _stdinGate = new(1, 1);
    private readonly TaskCompletionSource<Stream> _stdin = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _endOfInput = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _leaderExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _shownLife = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // A standby's stdin as CliWrap hands it over, and whether it was launched (true) or discarded (false);
    // both null for a process started with its agent at once.
    private readonly TaskCompletionSource<Stream>? _standbyInput;
    private readonly TaskCompletionSource<bool>? _launched;
    private int _launch = NotLaunched;
    private TimeSpan _gracePeriod;
    private long _startTimestamp;
    private ITimer? _timeoutTimer;
    private System.Diagnostics.Process? _process;
    private int _termination = NotTerminating;
    private bool _stdinClosed;
    private Task? _terminationTask;

    /// <param name="info">The agent to start, or null for a standby launcher that waits for its agent (<see cref="TryLaunch"/>).</param>
    private AgentProcess(AgentProcessStartInfo? info, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _startTimestamp = time.GetTimestamp();
        if (info is null)
        {
            _standbyInput = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _launched = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        var command = Cli.Wrap(AgentLauncher.Program)
            .WithArguments(info is null ? [AgentLauncher.StandbyArgument] : [.. AgentLauncher.ArgumentsBefore, info.FileName, .. info.Arguments])
            .WithWorkingDirectory(info?.WorkingDirectory ?? StandbyWorkingDirectory)
            .WithStandardInputPipe(PipeSource.Create(info is null ? StandbyStdinAsync : HoldStdinOpenAsync))
            .WithStandardOutputPipe(Lines(OutputStream.Stdout))
            .WithStandardErrorPipe(Lines(OutputStream.Stderr))
            // The exit code is ours to classify; a non-zero one is not an exception here.
            .WithValidation(CommandResultValidation.None);

        Task? leaderExit = null;
        // No cancellation token: stop, timeout and interrupt are signals to the group (see remarks). The fork
        // happens on the launcher thread (see LauncherThread).
        var execution = LauncherThread.Run(() => command.ExecuteWithExactEnvironmentAsync(
            info?.Environment ?? NoVariables,
            process =>
            {
                _process = process;
                leaderExit = process.WaitForExitAsync();
            }));
        ProcessGroupId = execution.ProcessId;
        Exited = SuperviseAsync(execution, leaderExit!);
        if (info is not null)
        {
            _launch = Launched;
            Begin(info);
        }
    }

    /// <summary>The process id of the agent, which is also its process group id.</summary>
    public int ProcessGroupId { get; }

    /// <summary>Completes at the process's first line of output, or at its exit if it wrote none.</summary>
    internal Task ShownLife => _shownLife.Task;

    /// <summary>Whether the process (a standby launcher, or its agent) has exited.</summary>
    internal bool HasEnded => _leaderExited.Task.IsCompleted;

    /// <summary>Lines from stdout and stderr, interleaved in arrival order; completes after the process exits.</summary>
    public ChannelReader<OutputLine> Output => _output.Reader;

    /// <summary>Completes with the classified exit once the process has exited and its output is drained.</summary>
    public Task<ProcessExit> Exited { get; }

    /// <summary>Starts <paramref name="info"/> in its own process group with exactly the given environment.</summary>
    public static AgentProcess Start(AgentProcessStartInfo info, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new AgentProcess(info, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// Starts the launcher alone, as its own group's leader, waiting for the agent <see cref="TryLaunch"/> hands it
    /// (<see cref="StandbyLauncher"/>). Only our own launcher can wait (<see cref="AgentLauncher.CanStandBy"/>).
    /// </summary>
    internal static AgentProcess StartStandby(TimeProvider time, ILogger logger)
    {
        if (!AgentLauncher.CanStandBy)
        {
            throw new InvalidOperationException($"Only {AgentLauncher.OwnLauncherFileName} can stand by, and it was not built.");
        }
        return new AgentProcess(null, time, logger);
    }

    /// <summary>
    /// Has this standby launcher exec <paramref name="info"/>'s agent, in its working directory with exactly its
    /// environment; from then on this is that agent's process. False when this is no standby, was launched or
    /// discarded before, or its launcher has ended (then nothing was sent).
    /// </summary>
    internal bool TryLaunch(AgentProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (_launched is null || _leaderExited.Task.IsCompleted || Interlocked.CompareExchange(ref _launch, Launched, NotLaunched) != NotLaunched)
        {
            return false;
        }
        Begin(info);
        // Written here, on the caller's thread, not by the pipe source: no hop to the thread pool and no asynchronous
        // write on the path to the agent. CliWrap hands the source its stream as it starts the process, long before
        // a standby is used; only a launch in the same instant waits for it.
        var stdin = _standbyInput!.Task.GetAwaiter().GetResult();
        try
        {
            stdin.Write(LaunchRequest.Encode(info));
            stdin.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The launcher died as it was launched (EPIPE, or CliWrap closed stdin at its exit): its exit is what the run sees.
        }
        _launched.TrySetResult(true);
        return true;
    }

    /// <summary>Ends a standby launcher that will not be launched; a launched one is left alone.</summary>
    internal async Task DiscardAsync()
    {
        if (_launched is null || Interlocked.CompareExchange(ref _launch, Discarded, NotLaunched) != NotLaunched)
        {
            return;
        }
        // End of input before a request: the launcher exits 0 (Launcher/agentmesh-launch.c).
        _launched.TrySetResult(false);
        await Exited.ConfigureAwait(false);
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
            // CliWrap hands the pipe source its stream as it starts the process, before Start returns.
            var stdin = await _stdin.Task.ConfigureAwait(false);
            await stdin.WriteAsync(Utf8NoBom.GetBytes(line), cancellationToken).ConfigureAwait(false);
            await stdin.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            // EPIPE: the agent closed its end or exited between the check and the write.
            return false;
        }
        catch (ObjectDisposedException)
        {
            // CliWrap closed stdin because the agent exited between the check and the write.
            return false;
        }
        finally
        {
            _stdinGate.Release();
        }
    }

    /// <summary>Ends the agent's input: CliWrap closes its stdin, and a stream-json CLI finishes its last turn and exits.</summary>
    public async Task CloseInputAsync()
    {
        await _stdinGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _stdinClosed = true;
            _endOfInput.TrySetResult();
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
        await DiscardAsync().ConfigureAwait(false);
        if (!_leaderExited.Task.IsCompleted)
        {
            await StopAsync().ConfigureAwait(false);
        }
        else
        {
            await Exited.ConfigureAwait(false);
        }
        _timeoutTimer?.Dispose();
        _stdinGate.Dispose();
    }

    /// <summary>The agent's start: its clocks begin now (the timeout, the run's duration).</summary>
    private void Begin(AgentProcessStartInfo info)
    {
        _gracePeriod = info.GracePeriod;
        _startTimestamp = _time.GetTimestamp();
        if (info.Timeout is { } timeout)
        {
            _timeoutTimer = _time.CreateTimer(_ => _ = TerminateAsync(TerminatingForTimeout), null, timeout, Timeout.InfiniteTimeSpan);
        }
        LogStarted(_logger, info.FileName, ProcessGroupId, info.WorkingDirectory);
    }

    /// <summary>
    /// A standby's stdin pipe source: hands the stream to <see cref="TryLaunch"/>, which writes the launch request
    /// (the launcher reads exactly its bytes), then holds the agent's own input open as <see cref="HoldStdinOpenAsync"/>
    /// does. A discarded standby gets none: end of input.
    /// </summary>
    private async Task StandbyStdinAsync(Stream stdin, CancellationToken cancellationToken)
    {
        _standbyInput!.TrySetResult(stdin);
        bool launched;
        try
        {
            launched = await _launched!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The launcher ended before it was launched.
            return;
        }
        if (launched)
        {
            await HoldStdinOpenAsync(stdin, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The stdin pipe source: hands CliWrap's stream to <see cref="WriteLineAsync"/> and returns only at end of
    /// input (CliWrap then closes stdin) or when CliWrap cancels it because the agent exited.
    /// </summary>
    private async Task HoldStdinOpenAsync(Stream stdin, CancellationToken cancellationToken)
    {
        _stdin.TrySetResult(stdin);
        try
        {
            await _endOfInput.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent exited with its input still open.
        }
    }

    /// <summary>A CliWrap pipe target that queues each line of one pipe.</summary>
    private PipeTarget Lines(OutputStream stream) => PipeTarget.Create(async (_, cancellationToken) =>
    {
        // CliWrap hands a target the pipe's bare stream, but .NET already wrapped that stream in a StreamReader
        // (4 KiB buffers) when it started the process; reading through that reader rather than through a second
        // one, as PipeTarget.ToDelegate would, kept about 10 KiB less per agent in bench/AgentMesh.Bench.Agents.
        // _process is set by the configureProcess hook, which CliWrap calls before it starts piping.
        var process = _process!;
        var reader = stream == OutputStream.Stdout ? process.StandardOutput : process.StandardError;
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                _output.Writer.TryWrite(new OutputLine(stream, line));
                _shownLife.TrySetResult();
            }
        }
        catch (IOException)
        {
            // A pipe torn down mid-read: the lines read so far are kept, and the exit is still classified.
        }
    });

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

    private async Task<ProcessExit> SuperviseAsync(CommandTask<CommandResult> execution, Task leaderExit)
    {
        await leaderExit.ConfigureAwait(false);
        _leaderExited.TrySetResult();
        _shownLife.TrySetResult();
        _timeoutTimer?.Dispose();
        // The leader is gone; whatever it left behind in its group (background jobs, a server a tool started)
        // goes too. This also closes the pipes those stragglers hold, which CliWrap waits for before it returns.
        NativeMethods.SignalGroup(ProcessGroupId, PosixSignal.Kill);
        var result = await execution.ConfigureAwait(false);
        _output.Writer.TryComplete();

        var exitCode = result.ExitCode;
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
        if (Volatile.Read(ref _launch) == Launched)
        {
            LogExited(_logger, ProcessGroupId, exit.Describe());
        }
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
