using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Logs;
using AgentMesh.Server.LiveLogs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Changes;

/// <summary>
/// The dashboard's <see cref="IJobFeed"/> over the cluster's streams: a board or job page on any silo hears every
/// silo's changes. A job page's log notices carry the lines themselves, from the job's live log stream (the
/// worker publishes each batch once it is stored), so fifty open pages do not read each batch back from the
/// store; a page that sees a gap (a batch lost: memory streams are best effort) reads the store instead.
/// </summary>
public sealed class ClusterJobFeed(JobChangeFeed changes, IClusterClient cluster, SharedStreamSubscriptions subscriptions) : IJobFeed
{
    public async IAsyncEnumerable<JobFeedNotice> SubscribeAsync(string? jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (jobId is null)
        {
            await foreach (var change in changes.SubscribeAsync(null, cancellationToken).ConfigureAwait(false))
            {
                yield return ToNotice(change);
            }
            yield break;
        }

        var notices = Channel.CreateBounded<JobFeedNotice>(new BoundedChannelOptions(JobChangeFeed.Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        // The lines first: once the change feed says it is live (its Resync), both are.
        var logs = await subscriptions.SubscribeAsync(LiveLogPublisher.Stream(cluster, jobId), batch => notices.Writer.TryWrite(ToNotice(batch))).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpChangesAsync(jobId, notices.Writer, stop.Token);
        try
        {
            await foreach (var notice in notices.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return notice;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            await logs.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task PumpChangesAsync(string jobId, ChannelWriter<JobFeedNotice> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in changes.SubscribeAsync(jobId, cancellationToken).ConfigureAwait(false))
            {
                // The live log stream carries the same lines with their text; its notice without them would only
                // make the page read the store for what is on its way.
                if (change.Kind != JobChangeKind.Log)
                {
                    await writer.WriteAsync(ToNotice(change), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
        }
    }

    private static JobFeedNotice ToNotice(JobChangeNotice change) => new(
        change.Kind switch
        {
            JobChangeKind.Job => JobFeedKind.Job,
            JobChangeKind.Log => JobFeedKind.Log,
            JobChangeKind.Event => JobFeedKind.History,
            _ => JobFeedKind.Resync,
        },
        change.JobId,
        change.Sequence);

    private static JobFeedNotice ToNotice(LiveLogBatch batch) => new(
        JobFeedKind.Log,
        batch.JobId,
        batch.Lines.Count == 0 ? 0 : batch.Lines[^1].Sequence,
        [.. batch.Lines.Select(l => new LogLine(batch.JobId, l.Sequence, l.At, l.Stream, l.Text))]);
}
