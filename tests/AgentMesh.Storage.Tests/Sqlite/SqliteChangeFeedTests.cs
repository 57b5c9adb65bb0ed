using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Sqlite;

/// <summary>The in-process feed's own mechanics: filtering, overflow, the poll tick.</summary>
public sealed class SqliteChangeFeedTests
{
    private static readonly StoreChange Resync = new(StoreChangeKind.Resync, string.Empty, 0);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_subscriber_that_falls_behind_loses_the_oldest_changes_and_gets_a_resync_first()
    {
        using var feed = new SqliteChangeFeed(_clock, TimeSpan.FromSeconds(1));
        using var cancel = new CancellationTokenSource();
        await using var changes = feed.SubscribeAsync("j1", cancel.Token).GetAsyncEnumerator(cancel.Token);
        (await changes.MoveNextAsync()).ShouldBeTrue();
        changes.Current.ShouldBe(Resync);

        for (var i = 1; i <= 1100; i++)
        {
            feed.Publish([new StoreChange(StoreChangeKind.Log, "j1", i)]);
        }

        (await changes.MoveNextAsync()).ShouldBeTrue();
        changes.Current.ShouldBe(Resync);
        var received = new List<long>();
        for (var i = 0; i < 1024; i++)
        {
            (await changes.MoveNextAsync()).ShouldBeTrue();
            received.Add(changes.Current.Sequence);
        }
        received.ShouldBe(Enumerable.Range(77, 1024).Select(i => (long)i));
    }

    [Fact]
    public async Task Publish_delivers_only_the_subscribed_job_and_all_jobs_to_a_null_subscription()
    {
        using var feed = new SqliteChangeFeed(_clock, TimeSpan.FromSeconds(1));
        await using var one = feed.SubscribeAsync("a").GetAsyncEnumerator();
        await using var all = feed.SubscribeAsync(null).GetAsyncEnumerator();
        (await one.MoveNextAsync()).ShouldBeTrue();
        (await all.MoveNextAsync()).ShouldBeTrue();

        feed.Publish([new StoreChange(StoreChangeKind.Job, "b", 2), new StoreChange(StoreChangeKind.Job, "a", 3)]);

        (await one.MoveNextAsync()).ShouldBeTrue();
        one.Current.ShouldBe(new StoreChange(StoreChangeKind.Job, "a", 3));
        (await all.MoveNextAsync()).ShouldBeTrue();
        all.Current.ShouldBe(new StoreChange(StoreChangeKind.Job, "b", 2));
        (await all.MoveNextAsync()).ShouldBeTrue();
        all.Current.ShouldBe(new StoreChange(StoreChangeKind.Job, "a", 3));
    }

    [Fact]
    public async Task Each_poll_tick_sends_one_resync_and_an_ended_subscription_stops_its_timer()
    {
        using var feed = new SqliteChangeFeed(_clock, TimeSpan.FromSeconds(5));
        using var cancel = new CancellationTokenSource();
        var changes = feed.SubscribeAsync("a", cancel.Token).GetAsyncEnumerator(cancel.Token);
        (await changes.MoveNextAsync()).ShouldBeTrue();

        _clock.Advance(TimeSpan.FromSeconds(4));
        var pending = changes.MoveNextAsync().AsTask();
        pending.IsCompleted.ShouldBeFalse();
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await Eventually.WithinAsync(pending, "the first poll tick")).ShouldBeTrue();
        changes.Current.ShouldBe(Resync);
        _clock.Advance(TimeSpan.FromSeconds(5));
        (await changes.MoveNextAsync()).ShouldBeTrue();
        changes.Current.ShouldBe(Resync);

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(async () => await changes.MoveNextAsync());
        await changes.DisposeAsync();
        // The disposed subscription's timer is gone: advancing the clock must not throw or write anywhere.
        _clock.Advance(TimeSpan.FromSeconds(30));
    }
}
