namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// A job's log: one row per line (never one growing row), appended in batches, read by sequence
/// number. Sequence numbers start at 1 per job and have no gaps.
/// </summary>
public interface IJobLog
{
    /// <summary>
    /// Appends lines in one transaction and returns the last sequence number. With a
    /// <paramref name="lease"/>, refused with <see cref="StaleLeaseException"/> unless it is still held.
    /// </summary>
    Task<long> AppendAsync(string jobId, IReadOnlyList<NewLogLine> lines, JobLease? lease = null, CancellationToken cancellationToken = default);

    /// <summary>Lines with sequence greater than <paramref name="afterSequence"/>, at most <paramref name="limit"/>, oldest first.</summary>
    Task<IReadOnlyList<LogLine>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    Task<IReadOnlyList<LogLine>> TailAsync(string jobId, int count, CancellationToken cancellationToken = default);

    /// <summary>Deletes log lines written before <paramref name="cutoff"/> (the retention setting).</summary>
    Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <param name="Stream">Where the line came from, e.g. <c>stdout</c>, <c>stderr</c>, <c>agent</c>, <c>system</c>.</param>
public sealed record NewLogLine(string Stream, string Text);

public sealed record LogLine(string JobId, long Sequence, DateTimeOffset At, string Stream, string Text);
