using Microsoft.Extensions.Logging;

namespace AgentMesh.Agents.Processes;

/// <summary>
/// Keeps one agent launcher started ahead of its agent, so that starting an agent is a write to a pipe and the
/// launcher's exec of it, not also the node's fork and exec of the launcher: about 3 ms of the path from a webhook
/// to the agent on the 2-core VPS (docs/performance.md). The next standby is started once the agent shows life (its
/// first line of output, or its exit), not at once, so its fork and exec do not compete with the agent's own start
/// for the node's cores; the repository's spare worktree waits for the same moment. A standby that ended meanwhile
/// (killed by someone) is passed over for a direct start.
/// </summary>
/// <remarks>
/// CliWrap and .NET start a process in one step, with its program; only a program of our own can be started first
/// and told what to run later (Launcher/agentmesh-launch.c, <c>--standby</c>). Without it this starts agents
/// directly, as before.
/// </remarks>
internal sealed partial class StandbyLauncher(TimeProvider time, ILogger logger) : IAsyncDisposable, IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private AgentProcess? _standby;
    private bool _refilling;

    /// <summary>Whether a standby launcher is waiting now (one that ended is not).</summary>
    public bool HasStandby
    {
        get
        {
            lock (_gate)
            {
                return _standby is { HasEnded: false };
            }
        }
    }

    /// <summary>The waiting standby's process id, if one is waiting.</summary>
    public int? StandbyProcessId
    {
        get
        {
            lock (_gate)
            {
                return _standby?.ProcessGroupId;
            }
        }
    }

    /// <summary>Starts the first standby, if this machine's launcher can wait (<see cref="AgentLauncher.CanStandBy"/>).</summary>
    public void Begin() => Refill();

    /// <summary>Starts <paramref name="info"/>'s agent from the standby when one is waiting, else directly.</summary>
    public AgentProcess Start(AgentProcessStartInfo info)
    {
        AgentProcess? standby;
        lock (_gate)
        {
            standby = _standby;
            _standby = null;
        }
        var agent = standby is not null && standby.TryLaunch(info) ? standby : null;
        if (standby is not null && agent is null)
        {
            LogStandbyGone(logger, standby.ProcessGroupId);
            _ = standby.DiscardAsync();
        }
        agent ??= AgentProcess.Start(info, time, logger);
        RefillOnceShownLife(agent);
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        if (TakeForDisposal() is { } standby)
        {
            await standby.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Ends the standby without waiting for its exit (its input is closed, so it exits at once).</summary>
    public void Dispose() => _ = TakeForDisposal()?.DiscardAsync();

    private AgentProcess? TakeForDisposal()
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return null;
            }
            // Cancelled, not disposed: a refill waiting on its token still reads it.
            _disposed.Cancel();
            var standby = _standby;
            _standby = null;
            return standby;
        }
    }

    private void RefillOnceShownLife(AgentProcess agent)
    {
        lock (_gate)
        {
            if (_refilling || _standby is not null || _disposed.IsCancellationRequested)
            {
                return;
            }
            _refilling = true;
        }
        _ = agent.ShownLife.ContinueWith(_ => Refill(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Refill()
    {
        if (!AgentLauncher.CanStandBy)
        {
            return;
        }
        AgentProcess? started = null;
        try
        {
            started = AgentProcess.StartStandby(time, logger);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Agents still start, directly; the next use tries again.
            LogStandbyFailed(logger, ex);
        }
        AgentProcess? unneeded = null;
        lock (_gate)
        {
            _refilling = false;
            if (_disposed.IsCancellationRequested || _standby is not null)
            {
                unneeded = started;
            }
            else
            {
                _standby = started;
            }
        }
        if (unneeded is not null)
        {
            _ = unneeded.DiscardAsync();
        }
        else if (started is not null)
        {
            LogStandbyReady(logger, started.ProcessGroupId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A standby agent launcher is ready (process {ProcessId})")]
    private static partial void LogStandbyReady(ILogger logger, int processId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The standby agent launcher (process {ProcessId}) had ended; the agent starts directly")]
    private static partial void LogStandbyGone(ILogger logger, int processId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A standby agent launcher could not be started; agents start directly")]
    private static partial void LogStandbyFailed(ILogger logger, Exception exception);
}
