using AgentMesh.Core.Jobs;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Changes;

/// <summary>
/// Gives a job that waits for a time (a retry's backoff, a budget window, a review's settle delay) its job
/// grain's reminder, so the workers hear of it when the time comes. A job's grain does this itself after the
/// turn that made it wait; a worker node's start does it here for jobs written before (by an earlier version, or
/// while a reminder could not be set). A job runnable now needs none: the notice of its change woke the workers.
/// </summary>
public sealed partial class JobWakeUps(IGrainFactory grains, TimeProvider timeProvider, ILogger<JobWakeUps> logger)
{
    public async Task ScheduleAsync(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!WaitsForATime(record, timeProvider.GetUtcNow()))
        {
            return;
        }
        try
        {
            await grains.GetGrain<IJobGrain>(record.Id).WakeAtAsync(record.RunAfter).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The job is stored; only its announcement is late: the next change of any job, or a restart, finds it.
            LogNotScheduled(logger, ex, record.Id, record.RunAfter);
        }
    }

    /// <summary>Claimable later, not now: queued (or a fix round without a worker) with a run-after in the future.</summary>
    public static bool WaitsForATime(JobRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var waitsForAWorker = record.State == JobState.Queued || (record.State == JobState.Fixing && record.LeaseOwner is null);
        return waitsForAWorker && record.RunAfter > now;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} waits until {RunAfter:u} but its reminder could not be set")]
    private static partial void LogNotScheduled(ILogger logger, Exception exception, string jobId, DateTimeOffset runAfter);
}
