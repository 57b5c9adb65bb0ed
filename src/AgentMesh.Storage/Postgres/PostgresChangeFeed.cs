using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentMesh.Storage.Postgres;

/// <summary>
/// The change feed on PostgreSQL. One dedicated connection per store runs <c>LISTEN</c> and waits for
/// notifications; each is parsed (ids and sequence numbers only) and fanned out to the subscribers whose job
/// it concerns, through one bounded channel per subscriber. NOTIFY only wakes: when the connection drops the
/// feed reconnects after <see cref="PostgresStoreOptions.ReconnectDelay"/> and sends every subscriber a
/// <see cref="StoreChangeKind.Resync"/>, and every <see cref="PostgresStoreOptions.ChangeFeedPollInterval"/> it
/// sends one anyway, so a lost notification delays a reader by one interval at most.
/// </summary>
/// <remarks>
/// The poll timer and the reconnect delay run on the store's <see cref="TimeProvider"/>: in production that is
/// the system clock; in tests a fake clock makes the poll tick happen exactly when the test moves time, so a
/// test never waits on wall-clock time. The listener starts with the first subscription and stops with the store.
/// </remarks>
internal sealed class PostgresChangeFeed : IChangeFeed, IAsyncDisposable
{
    /// <summary>A subscriber this far behind gets a resync instead of more changes.</summary>
    private const int SubscriberCapacity = 1024;

    private static readonly StoreChange Resync = new(StoreChangeKind.Resync, string.Empty, 0);

    private readonly NpgsqlDataSource _listenSource;
    private readonly PostgresStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private Subscriber[] _subscribers = [];
    private TaskCompletionSource _live = NewLive();
    private Task? _loop;
    private ITimer? _pollTimer;
    private bool _disposed;

    public PostgresChangeFeed(string connectionString, PostgresStoreOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _time = timeProvider;
        _logger = logger;
        ApplicationName = $"agentmesh-feed-{Guid.NewGuid():N}"[..30];
        // Its own unpooled connection: it lives for the store's lifetime and must not take a pool slot.
        // Keepalive makes a silently dead network path fail the wait instead of hanging it.
        _listenSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            KeepAlive = 15,
        }.ConnectionString);
    }

    /// <summary>The <c>application_name</c> of the LISTEN connection, to find it in <c>pg_stat_activity</c>.</summary>
    public string ApplicationName { get; }

    public async IAsyncEnumerable<StoreChange> SubscribeAsync(string? jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subscriber = new Subscriber(jobId);
        var live = Register(subscriber);
        try
        {
            // The subscription is live once LISTEN runs; changes committed before that may be missed, which
            // is exactly what the first resync tells the reader.
            await live.WaitAsync(cancellationToken).ConfigureAwait(false);
            yield return Resync;
            while (await subscriber.Changes.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscriber.Changes.Reader.TryRead(out var change))
                {
                    yield return change;
                }
                if (subscriber.TakeOverflow())
                {
                    PostgresStoreLog.SubscriberOverflow(_logger);
                    yield return Resync;
                }
            }
        }
        finally
        {
            Unregister(subscriber);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            loop = _loop;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Changes.Writer.TryComplete();
            }
            _subscribers = [];
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_pollTimer is not null)
        {
            await _pollTimer.DisposeAsync().ConfigureAwait(false);
        }
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
        await _listenSource.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewLive() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task Register(Subscriber subscriber)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscribers = [.. _subscribers, subscriber];
            if (_loop is null)
            {
                _pollTimer = _time.CreateTimer(_ => Broadcast(Resync), null, _options.ChangeFeedPollInterval, _options.ChangeFeedPollInterval);
                _loop = Task.Run(() => ListenAsync(_stopping.Token));
            }
            return _live.Task;
        }
    }

    private void Unregister(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscriber))];
        }
    }

    private void Broadcast(StoreChange change)
    {
        Subscriber[] subscribers;
        lock (_gate)
        {
            subscribers = _subscribers;
        }
        foreach (var subscriber in subscribers)
        {
            if (change.Kind == StoreChangeKind.Resync || subscriber.JobId is null || subscriber.JobId == change.JobId)
            {
                subscriber.Offer(change);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        foreach (var change in ChangePayload.Decode(e.Payload))
        {
            Broadcast(change);
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var reconnecting = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _listenSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {_options.NotifyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }
                PostgresStoreLog.Listening(_logger, _options.NotifyChannel, connection.ProcessID);
                if (reconnecting)
                {
                    PostgresStoreLog.ListenerReconnected(_logger);
                    Broadcast(Resync);
                }
                lock (_gate)
                {
                    _live.TrySetResult();
                }
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                PostgresStoreLog.ListenerLost(_logger, _options.ReconnectDelay, ex);
                lock (_gate)
                {
                    // New subscribers wait for the next LISTEN before their first resync.
                    if (_live.Task.IsCompleted)
                    {
                        _live = NewLive();
                    }
                }
                reconnecting = true;
            }
            try
            {
                await Task.Delay(_options.ReconnectDelay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One subscription: its filter, its queue, and whether it dropped changes because it fell behind.</summary>
    private sealed class Subscriber(string? jobId)
    {
        private int _overflowed;

        public string? JobId { get; } = jobId;

        public Channel<StoreChange> Changes { get; } = Channel.CreateBounded<StoreChange>(new BoundedChannelOptions(SubscriberCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        public void Offer(StoreChange change)
        {
            if (!Changes.Writer.TryWrite(change))
            {
                Volatile.Write(ref _overflowed, 1);
            }
        }

        public bool TakeOverflow() => Interlocked.Exchange(ref _overflowed, 0) == 1;
    }
}
