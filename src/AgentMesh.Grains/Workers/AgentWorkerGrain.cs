using AgentMesh.Grains.Abstractions.Workers;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace AgentMesh.Grains.Workers;

/// <summary>
/// One run of one job on a worker silo. The slot that claimed the job calls it, so it activates on that
/// slot's silo (local preference), which is what lets each worker silo enforce its own slot count; it can
/// never activate on a web-only silo (<see cref="WorkerSilosOnlyAttribute"/>). The agent runs in a
/// background task the grain owns; the grain stays active until the run ends, then deactivates.
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
        _ = EndWithAsync(run);
        return Task.FromResult(_status);
    }

    public Task<AgentRunStatus?> GetStatusAsync() => Task.FromResult(_status);

    // Runs on the activation's scheduler: the grain's state is touched in its own turns only.
    private async Task EndWithAsync(Task run)
    {
        await run.ConfigureAwait(true);
        _status = _status! with { Running = false };
        // Overrides the keep-alive: the status is not needed once the slot has seen the run end.
        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {Fence} of job {JobId} started on {Silo}")]
    private static partial void LogStarted(ILogger logger, string jobId, long fence, SiloAddress silo);
}
