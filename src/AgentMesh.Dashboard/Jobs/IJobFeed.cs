namespace AgentMesh.Dashboard.Jobs;

/// <summary>
/// What the dashboard hears about jobs changing. One seam, so the transport can change without
/// touching a page; the host must register one (the node's is over the cluster's job-change
/// streams). Notifications are best effort: the store is the truth, a notice only says what to re-read.
/// </summary>
public interface IJobFeed
{
    /// <summary>
    /// Changes of one job, or of every job when <paramref name="jobId"/> is null, until cancelled.
    /// The first notice is <see cref="JobFeedKind.Resync"/>, sent once the subscription is live:
    /// load the snapshot then, so no change falls between snapshot and subscription.
    /// </summary>
    IAsyncEnumerable<JobFeedNotice> SubscribeAsync(string? jobId, CancellationToken cancellationToken);
}

public enum JobFeedKind
{
    /// <summary>Re-read everything shown: notices may have been missed.</summary>
    Resync,

    /// <summary>The job's state, attempt, usage or pull request changed.</summary>
    Job,

    /// <summary>Log lines were appended, up to <see cref="JobFeedNotice.Sequence"/>.</summary>
    Log,

    /// <summary>History events were appended.</summary>
    History,
}

/// <param name="JobId">Empty for <see cref="JobFeedKind.Resync"/>.</param>
/// <param name="Lines">
/// With <see cref="JobFeedKind.Log"/>, the stored lines themselves when the feed carries them (ending at
/// <paramref name="Sequence"/>), so a page need not read them back; null when it must read the store.
/// </param>
public sealed record JobFeedNotice(JobFeedKind Kind, string JobId, long Sequence, IReadOnlyList<AgentMesh.Storage.Abstractions.LogLine>? Lines = null);
