namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// Wake-ups for readers of job state, logs, events and mailbox. A change carries ids and sequence
/// numbers only, never the data: the subscriber re-reads from the store. PostgreSQL delivers them
/// with LISTEN/NOTIFY (one NOTIFY per transaction) and reconnects when the connection drops;
/// SQLite delivers them in-process after commit. Either way a <see cref="StoreChangeKind.Resync"/>
/// is sent after a reconnect and on every poll tick, so a subscriber that re-reads on it never
/// misses a change for long, even if a notification was lost.
/// </summary>
public interface IChangeFeed
{
    /// <summary>
    /// Changes of one job, or of all jobs when <paramref name="jobId"/> is null, until cancelled.
    /// The first item is a <see cref="StoreChangeKind.Resync"/>, sent once the subscription is live:
    /// load the snapshot then, and no change can fall between the snapshot and the subscription.
    /// </summary>
    IAsyncEnumerable<StoreChange> SubscribeAsync(string? jobId, CancellationToken cancellationToken = default);
}

public enum StoreChangeKind
{
    /// <summary>The job row changed (state, lease, data); Sequence is the row's version.</summary>
    Job,

    /// <summary>Log lines appended; Sequence is the last line's sequence.</summary>
    Log,

    /// <summary>A mailbox message posted or delivered; Sequence is the message's sequence.</summary>
    Mailbox,

    /// <summary>Events appended to the job's history; Sequence is the last event's.</summary>
    Event,

    /// <summary>Notifications may have been missed (reconnect or poll tick): re-read what you show.</summary>
    Resync,
}

/// <param name="JobId">Empty for <see cref="StoreChangeKind.Resync"/>.</param>
public sealed record StoreChange(StoreChangeKind Kind, string JobId, long Sequence);
