using AgentMesh.Agents.Running;
using AgentMesh.Core.Jobs;
using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Changes;
using AgentMesh.Server.Hosting;
using AgentMesh.Server.Maintenance;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Worker;

/// <summary>
/// A worker node's slots: each claims a job (the job's repo grain decides, <see cref="RunClaimer"/>), hands the
/// claim to the job's agent-worker grain (which runs
/// the agent on this silo), waits for the run to end, and claims the next. Idle slots sleep until the
/// cluster's job-change stream says a job changed anywhere (created, re-queued, released, or due: a job
/// grain's reminder announces a job whose backoff ended), then claim again. No slot polls the store.
/// On shutdown the slots stop claiming; running agents get <see cref="WorkerOptions.ShutdownGrace"/>
/// to finish, then are stopped and their jobs handed back for another node.
/// </summary>
public sealed partial class WorkerService(
    IAgentMeshStore store,
    RunClaimer claimer,
    JobChangeFeed changes,
    JobWakeUps wakeUps,
    IGrainFactory grains,
    JobActor jobs,
    DeadSiloRescueService lostRuns,
    IdleSlotsSignal idleSlots,
    ILocalSiloDetails localSilo,
    AgentRunHost runs,
    AgentRunner agents,
    RunningJobs running,
    IOptions<NodeOptions> node,
    WorkerOptions options,
    TimeProvider timeProvider,
    ILogger<WorkerService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wakeUp = new(0, int.MaxValue);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // First stop claiming (ExecuteAsync's token), then give running jobs their grace period.
        var stopping = base.StopAsync(cancellationToken);
        using var grace = new CancellationTokenSource(options.ShutdownGrace);
        try
        {
            await running.WhenAllFinishedAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogHandingBack(logger, running.Count);
            await runs.HandBackAllAsync().ConfigureAwait(false);
        }
        await stopping.ConfigureAwait(false);
    }

    public override void Dispose()
    {
        idleSlots.Raised -= WakeAllSlots;
        idleSlots.RaisedForOne -= WakeOneSlot;
        _wakeUp.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribed before the first claim: a job queued in between is announced to this subscription.
        // A change written on this silo woke one of its slots already (JobChangePublisher); its notice would only send
        // a second slot after the same job, competing with the first one's run for the cores.
        var thisSilo = localSilo.SiloAddress.ToParsableString();
        var feed = await changes.ListenAsync(notice => { if (notice.WakesSlotsOf(thisSilo)) { WakeOneSlot(); } }, stoppingToken).ConfigureAwait(false);
        idleSlots.Raised += WakeAllSlots;
        idleSlots.RaisedForOne += WakeOneSlot;
        await ScheduleWaitingJobsAsync(stoppingToken).ConfigureAwait(false);
        // Before this node claims anything: runs its own earlier life (or a node gone while nobody watched) held.
        await lostRuns.CheckRunsOfGoneNodesAsync(node.Value.NodeId, stoppingToken).ConfigureAwait(false);
        // The first agent's launcher is started now, not on the path from its webhook.
        agents.KeepLauncherOnStandby();
        var slots = Enumerable.Range(1, node.Value.WorkerSlots).Select(slot => RunSlotAsync(slot, stoppingToken)).ToList();
        await Task.WhenAll(slots).ConfigureAwait(false);
        await feed.ConfigureAwait(false);
    }

    private async Task RunSlotAsync(int slot, CancellationToken stoppingToken)
    {
        var owner = $"{node.Value.NodeId}/{slot}";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var ticket = await claimer.ClaimNextAsync(owner, stoppingToken).ConfigureAwait(false);
                if (ticket is null)
                {
                    await _wakeUp.WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }
                await RunClaimedAsync(ticket).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSlotFailed(logger, ex, owner);
                await Task.Delay(options.PauseAfterError, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunClaimedAsync(AgentRunTicket ticket)
    {
        var lease = new JobLease(ticket.JobId, ticket.Owner, ticket.Fence);
        // The job's agent-worker grain activates here (local preference among worker silos), so this slot
        // stays taken until the run it started ends.
        AgentRunStatus status;
        try
        {
            status = await grains.GetGrain<IAgentWorkerGrain>(ticket.WorkerKey).StartAsync(ticket).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not started (e.g. the grain could not be placed): the claim goes back at once rather than
            // holding the job until its lease lapses.
            await jobs.AbandonClaimAsync(lease, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        if (!status.Silo.Equals(localSilo.SiloAddress))
        {
            // Cannot happen while this silo is a worker; if it did, this slot would not hold the run's place.
            LogRunElsewhere(logger, lease.JobId, status.Silo);
        }
        await running.WhenFinishedAsync(lease.JobId, CancellationToken.None).ConfigureAwait(false);
    }

    private void WakeAllSlots()
    {
        for (var slot = 0; slot < node.Value.WorkerSlots; slot++)
        {
            WakeOneSlot();
        }
    }

    private void WakeOneSlot()
    {
        if (_wakeUp.CurrentCount < node.Value.WorkerSlots)
        {
            _wakeUp.Release();
        }
    }

    /// <summary>
    /// Jobs that wait for a time get their job grain's reminder when they are written; this catches the ones
    /// written before (by an earlier version, or while a reminder could not be set), once per start.
    /// </summary>
    private async Task ScheduleWaitingJobsAsync(CancellationToken stoppingToken)
    {
        try
        {
            var now = timeProvider.GetUtcNow();
            var waiting = await store.Jobs.ListAsync(new JobQuery(States: [JobState.Queued, JobState.Fixing], Limit: 10_000), stoppingToken).ConfigureAwait(false);
            foreach (var job in waiting.Where(j => JobWakeUps.WaitsForATime(j, now)))
            {
                await wakeUps.ScheduleAsync(job).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogScheduleFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The jobs waiting for a time could not be given their reminders at start")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker slot {Owner} failed; it goes on after a pause")]
    private static partial void LogSlotFailed(ILogger logger, Exception exception, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown grace period over: handing {Count} running jobs back")]
    private static partial void LogHandingBack(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The run of job {JobId} started on {Silo}, not on the silo of the slot that claimed it")]
    private static partial void LogRunElsewhere(ILogger logger, string jobId, SiloAddress silo);
}
