using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// The in-process change feed of the SQLite backend. Writes publish after commit; each subscriber
/// has a bounded channel that drops its oldest entry when the subscriber falls behind and then
/// owes it a <see cref="StoreChangeKind.Resync"/>. Every subscription starts with a Resync (it is
/// live: load the snapshot now) and gets another on every poll tick of the injected clock.
/// </summary>
/// <remarks>
/// Only writes made through this process's store are seen; another process sharing the file is
/// covered by the poll-tick Resync, which is why the tick exists on SQLite at all.
/// </remarks>
internal sealed class SqliteChangeFeed : IChangeFeed, IDisposable
{
    /// <summary>Enough for bursts of log batches; a reader this far behind re-reads anyway.</summary>
    private const int SubscriberCapacity = 1024;

    private static readonly StoreChange Resync = new(StoreChangeKind.Resync, string.Empty, 0);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;
    private readonly Lock _gate = new();
    private Subscriber[] _subscribers = [];
    private bool _disposed;

    public SqliteChangeFeed(TimeProvider timeProvider, TimeSpan pollInterval)
    {
        _timeProvider = timeProvider;
        _pollInterval = pollInterval;
    }

    public async IAsyncEnumerable<StoreChange> SubscribeAsync(string? jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subscriber = new Subscriber(jobId);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscribers = [.. _subscribers, subscriber];
        }
        using var tick = _timeProvider.CreateTimer(static state => ((Subscriber)state!).Offer(Resync), subscriber, _pollInterval, _pollInterval);
        try
        {
            subscriber.Offer(Resync);
            while (await subscriber.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscriber.Reader.TryRead(out var change))
                {
                    if (subscriber.TakeMissed() && change.Kind != StoreChangeKind.Resync)
                    {
                        yield return Resync;
                    }
                    yield return change;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers = [.. _subscribers.Where(s => s != subscriber)];
            }
        }
    }

    /// <summary>Delivers one committed transaction's changes to the subscribers that want them.</summary>
    public void Publish(IReadOnlyCollection<StoreChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }
        var subscribers = Volatile.Read(ref _subscribers);
        foreach (var subscriber in subscribers)
        {
            foreach (var change in changes)
            {
                if (subscriber.JobId is null || string.Equals(subscriber.JobId, change.JobId, StringComparison.Ordinal))
                {
                    subscriber.Offer(change);
                }
            }
        }
    }

    /// <summary>Ends every subscription (the store is closing).</summary>
    public void Dispose()
    {
        Subscriber[] subscribers;
        lock (_gate)
        {
            _disposed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }
        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }
    }

    private sealed class Subscriber
    {
        private readonly Channel<StoreChange> _channel;
        private int _missed;

        public Subscriber(string? jobId)
        {
            JobId = jobId;
            _channel = Channel.CreateBounded<StoreChange>(
                new BoundedChannelOptions(SubscriberCapacity)
                {
                    FullMode = BoundedChannelFullMode.DropOldest,
                    SingleReader = true,
                    SingleWriter = false,
                },
                _ => Interlocked.Exchange(ref _missed, 1));
        }

        public string? JobId { get; }

        public ChannelReader<StoreChange> Reader => _channel.Reader;

        public void Offer(StoreChange change) => _channel.Writer.TryWrite(change);

        /// <summary>Whether changes were dropped since the last call.</summary>
        public bool TakeMissed() => Interlocked.Exchange(ref _missed, 0) == 1;

        public void Complete() => _channel.Writer.TryComplete();
    }
}
