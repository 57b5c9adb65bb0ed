using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Repos;
using AgentMesh.Grains.Abstractions.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.Streams;

namespace AgentMesh.Grains.Jobs;

/// <summary>
/// A job's one decider, and its durable timers.
/// <para>
/// <b>Turns.</b> Every change of the job (a webhook's command, a worker's report, a user's stop, a claim, a lost run)
/// is a call to this grain, which runs it as a turn (<see cref="IJobTurnHost"/>): Core's state machine decides on
/// the job's stored state, and the new state, its history events and its side effects are written together. Orleans
/// runs one call of a grain at a time, so a job's turns are serial on the whole cluster without a lock held across
/// nodes. A turn whose decision may write effects first sets the job's effects grain's reminder and wakes that grain
/// after the commit, so effects are performed even when this silo dies right after the write.
/// </para>
/// <para>
/// <b>Run-after.</b> A job held back until a time (retry backoff, budget window, settle delay) gets a reminder
/// due then; when it fires the grain announces the job on <c>job-changes/*</c>, where every worker silo
/// listens, and forgets the reminder. Workers never poll for due jobs.
/// </para>
/// <para>
/// <b>Run watch.</b> While a run of the job is going, a second reminder asks that run's agent-worker grain
/// whether its agent still runs. A grain call to a run whose silo died reaches a fresh activation that knows
/// no run, so "not running" is exactly "lost": the grain takes that run's loss as a turn, which re-queues the job as
/// its next attempt. This replaces the store's lease expiry: nothing renews anything while the agent works.
/// </para>
/// Reminders live in the cluster's storage, so both survive the silo that set them (another silo, or the
/// same node after a restart, fires them).
/// </summary>
public sealed partial class JobGrain(
    IJobTurnHost turns,
    JobEffectsWakeUp effects,
    IOptions<GrainTimingOptions> timing,
    TimeProvider timeProvider,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IRemindable
{
    private const string RunAfterReminder = "run-after";
    private const string RunWatchReminder = "run-watch";

    // Run-after reminders repeat at least every minute; the first tick is the one that matters, and a tick whose
    // announcement failed is retried by the next one.
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    private IGrainReminder? _runAfter;

    // Read at first use, not at activation: creating the job, its turns and its claim never need it (docs/architecture.md).
    private LazyPersistentState<JobTimerState>? _timer;

    private LazyPersistentState<JobTimerState> Timer =>
        _timer ??= new("job-timer", this.GetGrainId(), ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name));

    public async Task<JobCreation> CreateAsync(NewJobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var creation = await turns.CreateAsync(this.GetPrimaryKeyString(), spec).ConfigureAwait(true);
        if (creation.Created)
        {
            await WakeAfterTurnAsync(creation.WakeAt).ConfigureAwait(true);
        }
        else if (creation.WakeAt is { } at)
        {
            // The same work is another job already, perhaps re-created by a delivery processed again after its
            // silo died before that job's reminder was set: its own grain keeps its time.
            await GrainFactory.GetGrain<IJobGrain>(creation.JobId).WakeAtAsync(at).ConfigureAwait(true);
        }
        return creation;
    }

    public async Task<JobTurnResult> DecideAsync(JobTurn turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var jobId = this.GetPrimaryKeyString();
        JobTurnResult result;
        if (turn.Effects == JobEffectPlan.None)
        {
            result = await turns.DecideAsync(jobId, turn).ConfigureAwait(true);
        }
        else
        {
            // The effects grain's reminder goes first: if this silo dies right after the commit, the reminder performs
            // what the turn wrote. It is woken also when the turn wrote none (or failed): it then drops the reminder.
            await effects.ExpectAsync(jobId).ConfigureAwait(true);
            try
            {
                result = await turns.DecideAsync(jobId, turn).ConfigureAwait(true);
            }
            finally
            {
                await effects.PerformSoonAsync(jobId).ConfigureAwait(true);
            }
        }
        await WakeAfterTurnAsync(result.WakeAt).ConfigureAwait(true);
        return result;
    }

    public Task<RunClaim> ClaimRunAsync(string owner, string repo, int repoLimit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(repo);
        ArgumentOutOfRangeException.ThrowIfNegative(repoLimit);
        return turns.ClaimAsync(this.GetPrimaryKeyString(), owner, repo, repoLimit);
    }

    public async Task<JobTurnResult> HoldClaimAsync(RunFence run, DateTimeOffset until, string reason)
    {
        ArgumentNullException.ThrowIfNull(run);
        var result = await turns.HoldClaimAsync(this.GetPrimaryKeyString(), run, until, reason).ConfigureAwait(true);
        await WakeAfterTurnAsync(result.WakeAt).ConfigureAwait(true);
        return result;
    }

    public Task RecordEventAsync(string type, string dataJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        return turns.RecordEventAsync(this.GetPrimaryKeyString(), type, dataJson);
    }

    public async Task WakeAtAsync(DateTimeOffset at)
    {
        var due = at - timeProvider.GetUtcNow();
        if (due <= TimeSpan.Zero)
        {
            await AnnounceAsync().ConfigureAwait(true);
            return;
        }
        // The reminder first: a crash between the two writes leaves an early announcement (harmless:
        // the claim checks the time), never a stored time without a reminder.
        _runAfter = await this.RegisterOrUpdateReminder(RunAfterReminder, due, RetryPeriod).ConfigureAwait(true);
        (await Timer.GetAsync().ConfigureAwait(true)).WakeAt = at;
        await Timer.WriteAsync().ConfigureAwait(true);
    }

    public async Task<DateTimeOffset?> GetWakeTimeAsync() => (await Timer.GetAsync().ConfigureAwait(true)).WakeAt;

    public async Task WatchRunAsync(string owner, long fence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var timer = await Timer.GetAsync().ConfigureAwait(true);
        if (timer.WatchedFence is { } watched && watched >= fence)
        {
            // The same run again (a retried call), or a late call for a run older than the one watched.
            return;
        }
        var period = timing.Value.RunWatchPeriod;
        // The reminder first, as above: a watch without its reminder would never fire.
        await this.RegisterOrUpdateReminder(RunWatchReminder, period, period).ConfigureAwait(true);
        timer.WatchedOwner = owner;
        timer.WatchedFence = fence;
        await Timer.WriteAsync().ConfigureAwait(true);
    }

    public async Task RunEndedAsync(long fence)
    {
        if ((await Timer.GetAsync().ConfigureAwait(true)).WatchedFence == fence)
        {
            await StopWatchingAsync().ConfigureAwait(true);
        }
    }

    public async Task<WatchedRun?> GetWatchedRunAsync() =>
        await Timer.GetAsync().ConfigureAwait(true) is { WatchedOwner: { } owner, WatchedFence: { } fence } ? new WatchedRun(owner, fence) : null;

    public async Task<RunCheck> CheckRunAsync(string owner, long fence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var jobId = this.GetPrimaryKeyString();
        AgentRunStatus? status;
        try
        {
            status = await GrainFactory.GetGrain<IAgentWorkerGrain>(AgentRunTicket.WorkerKeyOf(jobId, fence)).GetStatusAsync().ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A silo dying but not yet declared dead times the call out, or no worker silo is up to place the
            // probe: ask again on the next tick, or when membership declares the silo dead.
            LogCheckFailed(logger, ex, jobId, fence);
            return RunCheck.Unknown;
        }
        if (status is { Running: true })
        {
            return RunCheck.Running;
        }
        // Fenced by the run: a run that already reported (or was stopped, or superseded) is left as it is.
        var lost = await turns.DecideAsync(jobId, new JobTurn(new RunLost(fence), new RunFence(owner, fence))).ConfigureAwait(true);
        await WakeAfterTurnAsync(lost.WakeAt).ConfigureAwait(true);
        if (lost.After is { } after)
        {
            LogRunLost(logger, jobId, fence, owner, after.State.ToString(), after.Attempt);
        }
        if ((await Timer.GetAsync().ConfigureAwait(true)).WatchedFence is { } watched && watched <= fence)
        {
            await StopWatchingAsync().ConfigureAwait(true);
        }
        return RunCheck.Lost;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case RunAfterReminder:
                if ((await Timer.GetAsync().ConfigureAwait(true)).WakeAt is { } at && at > timeProvider.GetUtcNow())
                {
                    // Replaced by a later time after this tick was scheduled.
                    return;
                }
                await AnnounceAsync().ConfigureAwait(true);
                break;
            case RunWatchReminder:
                if (await Timer.GetAsync().ConfigureAwait(true) is { WatchedOwner: { } owner, WatchedFence: { } fence })
                {
                    await CheckRunAsync(owner, fence).ConfigureAwait(true);
                }
                else
                {
                    await StopWatchingAsync().ConfigureAwait(true);
                }
                break;
        }
    }

    // A turn left the job waiting for a time (a retry's backoff, a budget window, a review's settle delay): the
    // workers hear of it when the time comes. A job runnable now needs nothing: the turn's notice woke them.
    private async Task WakeAfterTurnAsync(DateTimeOffset? wakeAt)
    {
        if (wakeAt is not { } at)
        {
            return;
        }
        try
        {
            await WakeAtAsync(at).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The turn is stored; only its announcement is late: a node's start finds the job (WorkerService).
            LogNotScheduled(logger, ex, this.GetPrimaryKeyString(), at);
        }
    }

    private async Task StopWatchingAsync()
    {
        if (await this.GetReminder(RunWatchReminder).ConfigureAwait(true) is { } reminder)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(true);
        }
        var timer = await Timer.GetAsync().ConfigureAwait(true);
        if (timer.WatchedFence is null && timer.WatchedOwner is null)
        {
            return;
        }
        timer.WatchedOwner = null;
        timer.WatchedFence = null;
        await Timer.WriteAsync().ConfigureAwait(true);
    }

    private async Task AnnounceAsync()
    {
        var jobId = this.GetPrimaryKeyString();
        await this.GetStreamProvider(JobChangeStreams.Provider)
            .GetStream<JobChangeNotice>(StreamId.Create(JobChangeStreams.Namespace, JobChangeStreams.AllJobs))
            .OnNextAsync(new JobChangeNotice(JobChangeKind.Job, jobId, 0))
            .ConfigureAwait(true);
        LogAnnounced(logger, jobId);
        var timer = await Timer.GetAsync().ConfigureAwait(true);
        if (timer.WakeAt is null && _runAfter is null)
        {
            return;
        }
        // After a restart this activation never registered it: look it up once.
        if ((_runAfter ?? await this.GetReminder(RunAfterReminder).ConfigureAwait(true)) is { } reminder)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(true);
            _runAfter = null;
        }
        timer.WakeAt = null;
        await Timer.WriteAsync().ConfigureAwait(true);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} waits until {RunAfter:u} but its reminder could not be set")]
    private static partial void LogNotScheduled(ILogger logger, Exception exception, string jobId, DateTimeOffset runAfter);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} is due: announced to the workers")]
    private static partial void LogAnnounced(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Fence} of job {JobId} ({Owner}) is running nowhere: lost, the job is now {State}, attempt {Attempt}")]
    private static partial void LogRunLost(ILogger logger, string jobId, long fence, string owner, string state, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Fence} of job {JobId} could not be checked; asked again later")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string jobId, long fence);
}
