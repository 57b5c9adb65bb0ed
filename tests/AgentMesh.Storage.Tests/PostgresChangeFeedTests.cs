using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using Npgsql;
using Shouldly;
using Xunit;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;

namespace AgentMesh.Storage.Tests;

/// <summary>
/// The change feed across connections: LISTEN/NOTIFY between two stores (two nodes) on one database, one
/// small notification per transaction, and reconnection after the listening backend is killed.
/// </summary>
public sealed class PostgresChangeFeedTests
{
    private static readonly StoreChange Resync = new(StoreChangeKind.Resync, string.Empty, 0);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_subscriber_on_another_store_sees_turns_logs_and_mail_of_its_job()
    {
        await using var writer = await PostgresTestStore.CreateAsync(_clock);
        await using var reader = PostgresTestStore.Open(PostgresTestStore.ConnectionStringOf(writer), _clock);
        await writer.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "k1", "solve", "{}"));
        await writer.Jobs.EnqueueAsync(new NewJob("j2", "other/app", "k2", "solve", "{}"));
        await using var feed = new FeedReader(reader.Feed, "j1");
        (await feed.NextAsync("the initial resync")).ShouldBe(Resync);

        await writer.Jobs.TurnAsync("j2", null, j => new JobChange(JobState.Closed, j.DataJson, [], []));
        var claimed = (await writer.Jobs.ClaimAsync("node-a", TimeSpan.FromMinutes(1))).ShouldNotBeNull();
        claimed.Job.Id.ShouldBe("j1");
        (await feed.NextChangeAsync("j1's claim")).ShouldBe(new StoreChange(StoreChangeKind.Job, "j1", claimed.Job.Version));

        await writer.Logs.AppendAsync("j1", [new NewLogLine("stdout", "a"), new NewLogLine("stdout", "b"), new NewLogLine("stdout", "c")], claimed.Lease);
        (await feed.NextChangeAsync("j1's log lines")).ShouldBe(new StoreChange(StoreChangeKind.Log, "j1", 3));

        await writer.Mailbox.PostAsync("j1", new NewMailMessage("alice", "message", "hi"));
        (await feed.NextChangeAsync("j1's mail")).ShouldBe(new StoreChange(StoreChangeKind.Mailbox, "j1", 1));
        await writer.Mailbox.MarkDeliveredAsync("j1", 1);
        (await feed.NextChangeAsync("j1's mail delivered")).ShouldBe(new StoreChange(StoreChangeKind.Mailbox, "j1", 1));
    }

    [Fact]
    public async Task Each_transaction_sends_exactly_one_small_notification()
    {
        await using var store = await PostgresTestStore.CreateAsync(_clock);
        await using var listener = new RawListener(PostgresTestStore.ConnectionStringOf(store), new PostgresStoreOptions().NotifyChannel);
        await listener.StartAsync();
        await store.Jobs.SetRepoConcurrencyAsync("octo/app", 10);
        for (var i = 1; i <= 3; i++)
        {
            await store.Jobs.EnqueueAsync(new NewJob($"j{i}", "octo/app", $"k{i}", "solve", "{}"));
        }
        (await listener.TakeUntilAsync("J1:j3")).ShouldBe(["J1:j1", "J1:j2", "J1:j3"]);

        // A turn with two events and an outbox item: one notification, the job's new version.
        var claimed = (await store.Jobs.ClaimAsync("node-a", TimeSpan.FromMinutes(1))).ShouldNotBeNull();
        var turned = await store.Jobs.TurnAsync(claimed.Job.Id, claimed.Lease, j => new JobChange(
            JobState.Running, j.DataJson, [new NewEvent("a", "{}"), new NewEvent("b", "{}")], [new NewOutboxItem("github.comment", "c1", "{}")]));
        // Log text never travels in a notification: only the job id and the last sequence.
        await store.Logs.AppendAsync(claimed.Job.Id, [new NewLogLine("stdout", "secret-looking log text"), new NewLogLine("stderr", "more")]);
        (await listener.TakeUntilAsync($"L2:{claimed.Job.Id}")).ShouldBe(
            [$"J2:{claimed.Job.Id}", $"J{turned.Version}:{claimed.Job.Id}", $"L2:{claimed.Job.Id}"]);

        // A rolled-back turn sends nothing; the rescue of three jobs sends one coalesced notification.
        await Should.ThrowAsync<InvalidOperationException>(() => store.Jobs.TurnAsync("j2", null, _ => throw new InvalidOperationException("no")));
        await store.Jobs.ClaimAsync("node-a", TimeSpan.FromMinutes(1));
        await store.Jobs.ClaimAsync("node-a", TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromMinutes(2));
        var rescued = await store.Jobs.RescueExpiredLeasesAsync(_ => TimeSpan.Zero);
        rescued.Count.ShouldBe(3);
        await store.Mailbox.PostAsync("j1", new NewMailMessage("alice", "message", "marker"));
        var tail = await listener.TakeUntilAsync("M1:j1");
        tail.Count.ShouldBe(4, string.Join(" | ", tail));
        tail[0].ShouldBe("J2:j2");
        tail[1].ShouldBe("J2:j3");
        tail[2].Split('\n').Order(StringComparer.Ordinal).ShouldBe(rescued.Select(j => $"J{j.Version}:{j.Id}").Order(StringComparer.Ordinal));
        tail[3].ShouldBe("M1:j1");
    }

    [Fact]
    public async Task After_the_listening_backend_is_killed_the_feed_reconnects_sends_a_resync_and_delivers_later_changes()
    {
        // The real clock: the reconnect delay must pass by itself. The poll interval is long so its resyncs
        // cannot be mistaken for the reconnect's.
        await using var writer = await PostgresTestStore.CreateAsync(_clock);
        await using var reader = PostgresTestStore.Open(PostgresTestStore.ConnectionStringOf(writer), TimeProvider.System, o =>
        {
            o.ReconnectDelay = TimeSpan.FromMilliseconds(100);
            o.ChangeFeedPollInterval = TimeSpan.FromHours(1);
        });
        await writer.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "k1", "solve", "{}"));
        await using var feed = new FeedReader(reader.Feed, jobId: null);
        (await feed.NextAsync("the initial resync")).ShouldBe(Resync);
        var listenerPid = await ListenerPidAsync(reader);

        await using (var admin = new NpgsqlConnection(PostgresServer.Shared.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
            kill.Parameters.AddWithValue("pid", listenerPid);
            ((bool)(await kill.ExecuteScalarAsync())!).ShouldBeTrue();
        }

        (await feed.NextAsync("the resync after reconnecting")).ShouldBe(Resync);
        (await ListenerPidAsync(reader)).ShouldNotBe(listenerPid);
        var turned = await writer.Jobs.TurnAsync("j1", null, j => new JobChange(JobState.Closed, j.DataJson, [], []));
        (await feed.NextChangeAsync("a change after the reconnect")).ShouldBe(new StoreChange(StoreChangeKind.Job, "j1", turned.Version));
    }

    [Fact]
    public async Task Disposing_the_store_ends_its_subscriptions()
    {
        var store = await PostgresTestStore.CreateAsync(_clock);
        var changes = store.Feed.SubscribeAsync(null).GetAsyncEnumerator();
        (await Eventually.WithinAsync(changes.MoveNextAsync().AsTask(), "the initial resync")).ShouldBeTrue();
        var next = changes.MoveNextAsync().AsTask();

        await store.DisposeAsync();

        (await Eventually.WithinAsync(next, "the subscription to end")).ShouldBeFalse();
        await changes.DisposeAsync();
    }

    /// <summary>The backend pid of the store's LISTEN connection, found by its application_name.</summary>
    private static async Task<int> ListenerPidAsync(PostgresStore store) =>
        await Eventually.ValueAsync<object>(async () =>
        {
            await using var admin = new NpgsqlConnection(PostgresServer.Shared.AdminConnectionString);
            await admin.OpenAsync();
            await using var find = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE application_name = @name", admin);
            find.Parameters.AddWithValue("name", store.ChangeFeedApplicationName);
            return await find.ExecuteScalarAsync();
        }, "the change feed's LISTEN connection in pg_stat_activity") is int pid ? pid : throw new InvalidOperationException("pid is not an int");

    /// <summary>A plain LISTEN connection that records every payload on the channel.</summary>
    private sealed class RawListener(string connectionString, string channel) : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection = new(connectionString);
        private readonly System.Threading.Channels.Channel<string> _payloads = System.Threading.Channels.Channel.CreateUnbounded<string>();
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;

        public async Task StartAsync()
        {
            await _connection.OpenAsync();
            _connection.Notification += (_, e) => _payloads.Writer.TryWrite(e.Payload);
            await using (var listen = new NpgsqlCommand($"LISTEN {channel}", _connection))
            {
                await listen.ExecuteNonQueryAsync();
            }
            _loop = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        await _connection.WaitAsync(_stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        /// <summary>Payloads in arrival order up to and including <paramref name="last"/>.</summary>
        public async Task<List<string>> TakeUntilAsync(string last)
        {
            var taken = new List<string>();
            while (true)
            {
                var payload = await Eventually.WithinAsync(_payloads.Reader.ReadAsync().AsTask(), $"the notification {last}");
                taken.Add(payload);
                if (payload == last)
                {
                    return taken;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_loop is not null)
            {
                await _loop;
            }
            await _connection.DisposeAsync();
            _stop.Dispose();
        }
    }

    /// <summary>Reads one subscription with deadlines; cancels and drains it on dispose.</summary>
    private sealed class FeedReader : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cancel = new();
        private readonly IAsyncEnumerator<StoreChange> _changes;

        public FeedReader(IChangeFeed feed, string? jobId) =>
            _changes = feed.SubscribeAsync(jobId, _cancel.Token).GetAsyncEnumerator(_cancel.Token);

        public async Task<StoreChange> NextAsync(string what)
        {
            (await Eventually.WithinAsync(_changes.MoveNextAsync().AsTask(), what)).ShouldBeTrue($"the feed ended before {what}");
            return _changes.Current;
        }

        public async Task<StoreChange> NextChangeAsync(string what)
        {
            while (true)
            {
                var change = await NextAsync(what);
                if (change.Kind != StoreChangeKind.Resync)
                {
                    return change;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _cancel.CancelAsync();
            await _changes.DisposeAsync();
            _cancel.Dispose();
        }
    }
}
