using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using JobLease = AgentMesh.Storage.Abstractions.JobLease;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static readonly StoreChange Resync = new(StoreChangeKind.Resync, string.Empty, 0);

    [Fact]
    public async Task Feed_subscription_starts_with_a_resync_once_it_is_live()
    {
        await using var feed = new FeedReader(Store.Feed, "j1");

        (await feed.NextAsync("the initial resync")).ShouldBe(Resync);
    }

    [Fact]
    public async Task Feed_for_one_job_sees_its_turns_logs_and_mail_but_not_other_jobs_or_rolled_back_writes()
    {
        await EnqueueAsync(Job("ka", id: "job-a"));
        await EnqueueAsync(Job("kb", id: "job-b", repo: "other/repo"));
        await using var feed = new FeedReader(Store.Feed, "job-a");
        await feed.NextAsync("the initial resync");

        await Store.Jobs.TurnAsync("job-b", null, MoveTo(JobState.Closed));
        await Should.ThrowAsync<InvalidOperationException>(() => Store.Jobs.TurnAsync("job-a", null, _ => throw new InvalidOperationException("no")));
        var turned = await Store.Jobs.TurnAsync("job-a", null, MoveTo(JobState.WaitingForReply, events: [new NewEvent("asked", "{}")]));
        (await feed.NextChangeAsync("job-a's turn")).ShouldBe(new StoreChange(StoreChangeKind.Job, "job-a", turned.Version));

        await Store.Logs.AppendAsync("job-b", [new NewLogLine("stdout", "b")]);
        await Store.Logs.AppendAsync("job-a", [new NewLogLine("stdout", "1"), new NewLogLine("stdout", "2")]);
        (await feed.NextChangeAsync("job-a's log append")).ShouldBe(new StoreChange(StoreChangeKind.Log, "job-a", 2));

        await Store.Mailbox.PostAsync("job-b", new NewMailMessage("bob", "message", "b"));
        await Store.Mailbox.PostAsync("job-a", new NewMailMessage("alice", "message", "a"));
        (await feed.NextChangeAsync("job-a's mail")).ShouldBe(new StoreChange(StoreChangeKind.Mailbox, "job-a", 1));
    }

    [Fact]
    public async Task Feed_for_all_jobs_sees_changes_of_every_job()
    {
        await EnqueueAsync(Job("ka", id: "job-a"));
        await EnqueueAsync(Job("kb", id: "job-b", repo: "other/repo"));
        await using var feed = new FeedReader(Store.Feed, jobId: null);
        await feed.NextAsync("the initial resync");

        var b = await Store.Jobs.TurnAsync("job-b", null, MoveTo(JobState.Closed));
        var a = await Store.Jobs.TurnAsync("job-a", null, MoveTo(JobState.Stopped));

        (await feed.NextChangeAsync("job-b's turn")).ShouldBe(new StoreChange(StoreChangeKind.Job, "job-b", b.Version));
        (await feed.NextChangeAsync("job-a's turn")).ShouldBe(new StoreChange(StoreChangeKind.Job, "job-a", a.Version));

        // A new job is a change too (a dashboard list learns of it); a duplicate enqueue is not.
        await Store.Jobs.EnqueueAsync(Job("ka", id: "job-a-again"));
        await EnqueueAsync(Job("kc", id: "job-c"));
        (await feed.NextChangeAsync("job-c's creation")).ShouldBe(new StoreChange(StoreChangeKind.Job, "job-c", 1));
    }

    [Fact]
    public async Task Feed_sends_a_resync_when_the_poll_interval_passes()
    {
        await using var feed = new FeedReader(Store.Feed, "job-a");
        await feed.NextAsync("the initial resync");

        Clock.Advance(ChangeFeedPollInterval);

        (await feed.NextAsync("the resync of a poll tick")).ShouldBe(Resync);
    }

    /// <summary>Reads one subscription with deadlines, and cancels and drains it on dispose.</summary>
    private sealed class FeedReader : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cancel = new();
        private readonly IAsyncEnumerator<StoreChange> _changes;
        private Task<bool>? _pending;

        public FeedReader(IChangeFeed feed, string? jobId)
        {
            _changes = feed.SubscribeAsync(jobId, _cancel.Token).GetAsyncEnumerator(_cancel.Token);
            _pending = _changes.MoveNextAsync().AsTask();
        }

        public async Task<StoreChange> NextAsync(string what)
        {
            var move = _pending ?? _changes.MoveNextAsync().AsTask();
            _pending = null;
            (await Eventually.WithinAsync(move, what)).ShouldBeTrue($"the feed ended before {what}");
            return _changes.Current;
        }

        /// <summary>The next change that is not a resync (poll ticks may interleave).</summary>
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
            if (_pending is not null)
            {
                try
                {
                    await _pending;
                }
                catch (OperationCanceledException)
                {
                }
            }
            await _changes.DisposeAsync();
            _cancel.Dispose();
        }
    }
}
