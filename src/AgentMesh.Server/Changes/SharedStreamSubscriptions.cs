using Orleans.Runtime;
using Orleans.Streams;

namespace AgentMesh.Server.Changes;

/// <summary>
/// One Orleans subscription per stream on this silo, shared by every reader here (fifty open pages of one job,
/// the board, the worker slots), with the items handed to each reader in memory.
/// </summary>
/// <remarks>
/// What it adds to Orleans: a stream's pulling agent delivers to its subscribers one after another, so the
/// fiftieth reader of a job's log waited for forty-nine deliveries before it (measured: p50 90–130 ms with 50
/// pages, bench/AgentMesh.Bench.Dashboard). Shared, a batch crosses from the agent to this silo once.
/// </remarks>
public sealed class SharedStreamSubscriptions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Type Item, StreamId Stream), object> _shared = [];

    /// <summary>
    /// Adds <paramref name="onNext"/> to this silo's subscription of <paramref name="stream"/>, subscribing if it is the
    /// first reader. Returns once the subscription is live: every item sent after the return reaches
    /// <paramref name="onNext"/>. <paramref name="onNext"/> runs on the delivering thread and must not block.
    /// Dispose the result to stop reading; the last reader's dispose unsubscribes.
    /// </summary>
    public async Task<IAsyncDisposable> SubscribeAsync<T>(IAsyncStream<T> stream, Action<T> onNext)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onNext);
        var key = (typeof(T), stream.StreamId);
        Shared<T> shared;
        var reader = new Reader<T>(this, key, onNext);
        lock (_gate)
        {
            if (_shared.TryGetValue(key, out var existing))
            {
                shared = (Shared<T>)existing;
            }
            else
            {
                shared = new Shared<T>(stream);
                _shared[key] = shared;
            }
            shared.Add(reader);
            reader.Shared = shared;
        }
        try
        {
            await shared.Live.ConfigureAwait(false);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return reader;
    }

    private async ValueTask RemoveAsync<T>((Type, StreamId) key, Reader<T> reader)
    {
        var shared = reader.Shared!;
        bool last;
        lock (_gate)
        {
            last = shared.Remove(reader);
            if (last && _shared.TryGetValue(key, out var current) && ReferenceEquals(current, shared))
            {
                _shared.Remove(key);
            }
        }
        if (last)
        {
            await shared.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Shared<T>
    {
        private Reader<T>[] _readers = [];

        public Shared(IAsyncStream<T> stream) => Live = stream.SubscribeAsync(OnNextAsync);

        public Task<StreamSubscriptionHandle<T>> Live { get; }

        // Both under the owner's lock; deliveries read a snapshot.
        public void Add(Reader<T> reader) => Volatile.Write(ref _readers, [.. _readers, reader]);

        public bool Remove(Reader<T> reader)
        {
            Volatile.Write(ref _readers, [.. _readers.Where(r => !ReferenceEquals(r, reader))]);
            return _readers.Length == 0;
        }

        public async Task UnsubscribeAsync()
        {
            StreamSubscriptionHandle<T> handle;
            try
            {
                handle = await Live.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return; // It never subscribed: nothing to end.
            }
            try
            {
                // With a deadline: the pub-sub grain may sit on a silo that just died.
                await handle.UnsubscribeAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException or ObjectDisposedException)
            {
                // The silo is shutting down or the pub-sub grain is unreachable: the subscription dies with the silo.
            }
        }

        private Task OnNextAsync(T item, StreamSequenceToken? token)
        {
            foreach (var reader in Volatile.Read(ref _readers))
            {
                reader.OnNext(item);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class Reader<T>(SharedStreamSubscriptions owner, (Type, StreamId) key, Action<T> onNext) : IAsyncDisposable
    {
        private int _disposed;

        public Shared<T>? Shared { get; set; }

        public void OnNext(T item) => onNext(item);

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? owner.RemoveAsync(key, this) : ValueTask.CompletedTask;
    }
}
