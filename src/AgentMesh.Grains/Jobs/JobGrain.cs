using AgentMesh.Grains.Abstractions.Jobs;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace AgentMesh.Grains.Jobs;

/// <summary>
/// A job's durable timer. A job held back until a time (retry backoff, budget window, settle delay)
/// gets a reminder due then; when it fires the grain announces the job on <c>job-changes/*</c>, where
/// every worker silo listens, and forgets the reminder. Reminders live in the cluster's storage, so the
/// announcement survives the silo that scheduled it (another silo, or the same node after a restart,
/// fires it). Workers never poll for due jobs.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState("job-timer", GrainStorage.Name)] IPersistentState<JobTimerState> timer,
    TimeProvider timeProvider,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IRemindable
{
    private const string ReminderName = "run-after";

    // Reminders repeat at least every minute; the first tick is the one that matters, and a tick whose
    // announcement failed is retried by the next one.
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    private IGrainReminder? _reminder;

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
        _reminder = await this.RegisterOrUpdateReminder(ReminderName, due, RetryPeriod).ConfigureAwait(true);
        timer.State.WakeAt = at;
        await timer.WriteStateAsync().ConfigureAwait(true);
    }

    public Task<DateTimeOffset?> GetWakeTimeAsync() => Task.FromResult(timer.State.WakeAt);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }
        if (timer.State.WakeAt is { } at && at > timeProvider.GetUtcNow())
        {
            // Replaced by a later time after this tick was scheduled.
            return;
        }
        await AnnounceAsync().ConfigureAwait(true);
    }

    private async Task AnnounceAsync()
    {
        var jobId = this.GetPrimaryKeyString();
        await this.GetStreamProvider(JobChangeStreams.Provider)
            .GetStream<JobChangeNotice>(StreamId.Create(JobChangeStreams.Namespace, JobChangeStreams.AllJobs))
            .OnNextAsync(new JobChangeNotice(JobChangeKind.Job, jobId, 0))
            .ConfigureAwait(true);
        LogAnnounced(logger, jobId);
        if (timer.State.WakeAt is null && _reminder is null)
        {
            return;
        }
        // After a restart this activation never registered it: look it up once.
        if ((_reminder ?? await this.GetReminder(ReminderName).ConfigureAwait(true)) is { } reminder)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(true);
            _reminder = null;
        }
        timer.State.WakeAt = null;
        await timer.WriteStateAsync().ConfigureAwait(true);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} is due: announced to the workers")]
    private static partial void LogAnnounced(ILogger logger, string jobId);
}
