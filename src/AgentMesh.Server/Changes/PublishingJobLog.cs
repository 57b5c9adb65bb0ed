using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Changes;

/// <summary>
/// <see cref="IJobLog"/> that sends stored lines, with their sequence numbers, on the job's live log stream
/// (the dashboard and the API's live log read them from there), and announces them on its change stream.
/// </summary>
internal sealed class PublishingJobLog(IJobLog inner, JobChangePublisher publisher, LiveLogs.LiveLogPublisher live) : IJobLog
{
    public async Task<long> AppendAsync(string jobId, IReadOnlyList<NewLogLine> lines, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        var last = await inner.AppendAsync(jobId, lines, lease, cancellationToken).ConfigureAwait(false);
        if (lines.Count > 0)
        {
            await live.PublishAsync(jobId, lines, last).ConfigureAwait(false);
            await publisher.LogAppendedAsync(jobId, last).ConfigureAwait(false);
        }
        return last;
    }

    public Task<IReadOnlyList<LogLine>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(jobId, afterSequence, limit, cancellationToken);

    public Task<IReadOnlyList<LogLine>> TailAsync(string jobId, int count, CancellationToken cancellationToken = default) =>
        inner.TailAsync(jobId, count, cancellationToken);

    public Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        inner.PurgeOlderThanAsync(cutoff, cancellationToken);
}
