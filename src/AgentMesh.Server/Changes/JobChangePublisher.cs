using AgentMesh.Grains.Abstractions.Jobs;
using Orleans.Streams;

namespace AgentMesh.Server.Changes;

/// <summary>
/// Sends job change notices on the cluster's memory streams after the store committed the change: state
/// changes to the job's own stream and to <c>job-changes/*</c> (the board, the workers), log and history
/// notices to the job's stream only. Best effort: a failed send is logged and never fails the write,
/// because the store is the truth and readers re-read from it.
/// </summary>
public sealed partial class JobChangePublisher(IClusterClient cluster, Worker.IdleSlotsSignal idleSlots, ILocalSiloDetails localSilo, ILogger<JobChangePublisher> logger)
{
    /// <summary>
    /// The job's row changed: this node's idle slots hear it at once, other nodes' through the streams. A change
    /// that frees no work (<paramref name="freesNoWork"/>: the job holds a run after it, or nothing a claim reads
    /// changed) wakes no slot: on a 2-core node every needless claim pass slows the run just claimed.
    /// </summary>
    public Task JobChangedAsync(string jobId, long version, bool freesNoWork = false)
    {
        var notice = new JobChangeNotice(JobChangeKind.Job, jobId, version, freesNoWork);
        if (notice.MayFreeWork)
        {
            idleSlots.RaiseOne();
            notice = notice with { SlotsWokenOn = localSilo.SiloAddress.ToParsableString() };
        }
        return SendAsync(notice, toAll: true);
    }

    /// <summary>Log lines were stored, up to <paramref name="lastSequence"/>.</summary>
    public Task LogAppendedAsync(string jobId, long lastSequence) =>
        SendAsync(new JobChangeNotice(JobChangeKind.Log, jobId, lastSequence), toAll: false);

    /// <summary>Events were appended to the job's history.</summary>
    public Task EventsAppendedAsync(string jobId, long version) =>
        SendAsync(new JobChangeNotice(JobChangeKind.Event, jobId, version), toAll: false);

    /// <summary>A change that may concern any job (e.g. a repo's concurrency limit raised): everyone re-reads.</summary>
    public Task EveryJobMayHaveChangedAsync() =>
        SendAsync(new JobChangeNotice(JobChangeKind.Resync, string.Empty, 0), toAll: true, toJob: false);

    private async Task SendAsync(JobChangeNotice notice, bool toAll, bool toJob = true)
    {
        try
        {
            if (toJob)
            {
                await Stream(cluster, notice.JobId).OnNextAsync(notice).ConfigureAwait(false);
            }
            if (toAll)
            {
                await Stream(cluster, null).OnNextAsync(notice).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(logger, ex, notice.Kind, notice.JobId);
        }
    }

    /// <summary>One job's change stream, or every job's (<paramref name="jobId"/> null).</summary>
    public static IAsyncStream<JobChangeNotice> Stream(IClusterClient cluster, string? jobId)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.GetStreamProvider(JobChangeStreams.Provider).GetStream<JobChangeNotice>(StreamId.Create(JobChangeStreams.Namespace, JobChangeStreams.KeyOf(jobId)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} notice of job {JobId} was not sent; readers see the change on their next re-read")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, JobChangeKind kind, string jobId);
}
