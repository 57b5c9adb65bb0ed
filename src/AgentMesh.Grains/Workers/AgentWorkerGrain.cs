using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Workers;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace AgentMesh.Grains.Workers;

/// <summary>
/// One run of one job on a worker silo. The slot that claimed the job calls it, so it activates on that
/// slot's silo (local preference), which is what lets each worker silo enforce its own slot count; it can
/// never activate on a web-only silo (<see cref="WorkerSilosOnlyAttribute"/>). The agent runs in a
/// background task the grain owns; the grain stays active until the run ends, then deactivates. Its job's
/// grain watches the run through it: an activation that knows no run (a fresh one, after the silo that ran
/// it died) answers that it runs nothing.
/// </summary>
[WorkerSilosOnly]
[PreferLocalPlacement]
public sealed partial class AgentWorkerGrain(
    IAgentRunHost host,
    ILocalSiloDetails silo,
    TimeProvider timeProvider,
    ILogger<AgentWorkerGrain> logger) : Grain, IAgentWorkerGrain
{
    private AgentRunStatus? _status;

    public Task<AgentRunStatus> StartAsync(AgentRunTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.WorkerKey != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"The ticket is for {ticket.WorkerKey}, not for this grain ({this.GetPrimaryKeyString()}).", nameof(ticket));
        }
        if (_status is { } started)
        {
            return Task.FromResult(started);
        }
        // The activation must outlive its run, however long the run is.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        var run = host.Start(ticket);
        _status = new AgentRunStatus(silo.SiloAddress, Running: true, timeProvider.GetUtcNow());
        LogStarted(logger, ticket.JobId, ticket.Fence, silo.SiloAddress);
        var watching = WatchAsync(ticket, run.Started);
        _ = EndWithAsync(ticket, run.Ended, watching);
        return Task.FromResult(_status);
    }

    public Task<AgentRunStatus?> GetStatusAsync()
    {
        if (_status is null)
        {
            // Asked about a run it never started (its job grain checking on a run whose silo died): nothing to keep.
            DeactivateOnIdle();
        }
        return Task.FromResult(_status);
    }

    // Off the caller's path: the slot's start does not wait for the job grain, which may be on another silo. And
    // only once the run's start is recorded: the job grain takes one call at a time, and the watch (a reminder and a
    // write) would queue the run's own Start turn behind it, on the path from the webhook to the agent. Until then
    // a run lost with its silo is found by the nodes' check when the silo is declared dead, as when a watch failed.
    private async Task WatchAsync(AgentRunTicket ticket, Task started)
    {
        try
        {
            await started.ConfigureAwait(true);
            await GrainFactory.GetGrain<IJobGrain>(ticket.JobId).WatchRunAsync(ticket.Owner, ticket.Fence).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogWatchFailed(logger, ex, ticket.JobId, ticket.Fence);
        }
    }

    // Runs on the activation's scheduler: the grain's state is touched in its own turns only. After the watch's
    // call, so a run that ended at once does not leave its job grain watching it.
    private async Task EndWithAsync(AgentRunTicket ticket, Task run, Task watching)
    {
        await run.ConfigureAwait(true);
        await watching.ConfigureAwait(true);
        _status = _status! with { Running = false };
        try
        {
            await GrainFactory.GetGrain<IJobGrain>(ticket.JobId).RunEndedAsync(ticket.Fence).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // The watch finds the run ended on its next tick and stops then.
            LogWatchFailed(logger, ex, ticket.JobId, ticket.Fence);
        }
        // Overrides the keep-alive: the status is not needed once the slot has seen the run end.
        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job grain of job {JobId} could not be told about run {Fence}")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string jobId, long fence);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {Fence} of job {JobId} started on {Silo}")]
    private static partial void LogStarted(ILogger logger, string jobId, long fence, SiloAddress silo);
}
