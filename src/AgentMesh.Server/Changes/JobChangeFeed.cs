using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orleans.Streams;
using AgentMesh.Grains.Abstractions.Jobs;

namespace AgentMesh.Server.Changes;

/// <summary>
/// Reads job change notices from the cluster's memory streams as an async sequence, on any silo. The first
/// item is a <see cref="JobChangeKind.Resync"/>, sent once the subscription is live: load the snapshot then,
/// and no change falls between the snapshot and the subscription. A reader that falls
/// <see cref="Capacity"/> notices behind loses the oldest and gets a Resync in their place.
/// </summary>
public sealed class JobChangeFeed(IClusterClient cluster, SharedStreamSubscriptions subscriptions)
{
    /// <summary>Enough for bursts; a reader this far behind re-reads anyway.</summary>
    public const int Capacity = 1024;

    private static readonly JobChangeNotice Resync = new(JobChangeKind.Resync, string.Empty, 0);

    /// <summary>Changes of one job, or the state changes of every job (<paramref name="jobId"/> null), until cancelled.</summary>
    public async IAsyncEnumerable<JobChangeNotice> SubscribeAsync(string? jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var missed = 0;
        var channel = Channel.CreateBounded<JobChangeNotice>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Exchange(ref missed, 1));
        var subscription = await subscriptions.SubscribeAsync(JobChangePublisher.Stream(cluster, jobId), notice => channel.Writer.TryWrite(notice)).ConfigureAwait(false);
        try
        {
            yield return Resync;
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var notice))
                {
                    if (Interlocked.Exchange(ref missed, 0) == 1 && notice.Kind != JobChangeKind.Resync)
                    {
                        yield return Resync;
                    }
                    yield return notice;
                }
            }
        }
        finally
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> with every notice of the all-jobs stream until cancelled (a worker's slots).
    /// Returns once the subscription is live, so a change made after the return is never missed;
    /// the returned task is the listening itself.
    /// </summary>
    public async Task<Task> ListenAsync(Action<JobChangeNotice> onChange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = ListenUntilCancelledAsync(onChange, live, cancellationToken);
        await live.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return listening;
    }

    private async Task ListenUntilCancelledAsync(Action<JobChangeNotice> onChange, TaskCompletionSource live, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notice in SubscribeAsync(jobId: null, cancellationToken).ConfigureAwait(false))
            {
                live.TrySetResult();
                onChange(notice);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            live.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            live.TrySetException(ex);
            throw;
        }
    }
}
