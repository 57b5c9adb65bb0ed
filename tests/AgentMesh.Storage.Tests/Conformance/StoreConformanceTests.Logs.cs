using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Log_batches_get_consecutive_sequences_and_read_since_and_tail_return_oldest_first()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        await EnqueueAsync(Job("k2", id: "j2"));
        var firstAt = Now;

        (await Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "one"), new NewLogLine("stderr", "two"), new NewLogLine("agent", "three")])).ShouldBe(3);
        Clock.Advance(TimeSpan.FromSeconds(1));
        (await Store.Logs.AppendAsync("j1", [new NewLogLine("system", "four"), new NewLogLine("stdout", "five")])).ShouldBe(5);
        (await Store.Logs.AppendAsync("j2", [new NewLogLine("stdout", "other")])).ShouldBe(1);

        (await Store.Logs.ReadAsync("j1", 0, 100)).ShouldBe(
        [
            new LogLine("j1", 1, firstAt, "stdout", "one"),
            new LogLine("j1", 2, firstAt, "stderr", "two"),
            new LogLine("j1", 3, firstAt, "agent", "three"),
            new LogLine("j1", 4, Now, "system", "four"),
            new LogLine("j1", 5, Now, "stdout", "five"),
        ]);
        (await Store.Logs.ReadAsync("j1", 3, 1)).Select(l => l.Text).ShouldBe(["four"]);
        (await Store.Logs.ReadAsync("j1", 5, 10)).ShouldBeEmpty();
        (await Store.Logs.TailAsync("j1", 2)).Select(l => l.Sequence).ShouldBe([4L, 5L]);
        (await Store.Logs.TailAsync("j1", 50)).Select(l => l.Sequence).ShouldBe([1L, 2L, 3L, 4L, 5L]);
        (await Store.Logs.TailAsync("j2", 5)).Select(l => l.Text).ShouldBe(["other"]);
    }

    [Fact]
    public async Task Log_append_and_mail_post_on_a_missing_job_throw_KeyNotFoundException()
    {
        await Should.ThrowAsync<KeyNotFoundException>(() => Store.Logs.AppendAsync("missing", [new NewLogLine("stdout", "x")]));
        await Should.ThrowAsync<KeyNotFoundException>(() => Store.Mailbox.PostAsync("missing", new NewMailMessage("alice", "message", "hi")));
        (await Store.Logs.ReadAsync("missing", 0, 10)).ShouldBeEmpty();
        (await Store.Mailbox.ReadAllAsync("missing")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Log_append_with_the_held_lease_is_accepted()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        var claimed = await ClaimAsync();

        (await Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "a")], claimed.Lease)).ShouldBe(1);
        (await Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "b")], claimed.Lease)).ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_log_appends_leave_no_gaps_in_the_sequence()
    {
        await EnqueueAsync(Job("k1", id: "j1"));

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var batch = 0; batch < 5; batch++)
            {
                await Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", $"w{w}b{batch}a"), new NewLogLine("stdout", $"w{w}b{batch}b")]);
            }
        }));
        await Task.WhenAll(writers);

        var lines = await Store.Logs.ReadAsync("j1", 0, 1000);
        lines.Select(l => l.Sequence).ShouldBe(Enumerable.Range(1, 40).Select(i => (long)i));
        // Each batch is contiguous: its "a" line is immediately followed by its "b" line.
        for (var i = 0; i < lines.Count; i += 2)
        {
            lines[i + 1].Text.ShouldBe(lines[i].Text[..^1] + "b");
        }
    }

    [Fact]
    public async Task Log_purge_deletes_lines_older_than_the_cutoff_and_sequences_are_never_reused()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        await Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "old1"), new NewLogLine("stdout", "old2")]);
        Clock.Advance(TimeSpan.FromDays(8));
        var cutoff = Now;
        await Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "new")]);

        (await Store.Logs.PurgeOlderThanAsync(cutoff)).ShouldBe(2);

        (await Store.Logs.ReadAsync("j1", 0, 10)).Select(l => (l.Sequence, l.Text)).ShouldBe([(3L, "new")]);
        (await Store.Logs.AppendAsync("j1", [new NewLogLine("stdout", "newer")])).ShouldBe(4);
        (await Store.Logs.PurgeOlderThanAsync(cutoff)).ShouldBe(0);
    }

    [Fact]
    public async Task Mailbox_numbers_messages_and_tracks_delivery()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        var postedAt = Now;

        var first = await Store.Mailbox.PostAsync("j1", new NewMailMessage("alice", "message", "please add tests"));
        await Store.Mailbox.PostAsync("j1", new NewMailMessage("bob", "interrupt", "stop that"));
        await Store.Mailbox.PostAsync("j1", new NewMailMessage("alice", "message", "thanks"));

        first.ShouldBe(new MailMessage("j1", 1, postedAt, "alice", "message", "please add tests", null));
        (await Store.Mailbox.ReadUndeliveredAsync("j1")).Select(m => m.Sequence).ShouldBe([1L, 2L, 3L]);

        Clock.Advance(TimeSpan.FromSeconds(4));
        await Store.Mailbox.MarkDeliveredAsync("j1", 2);

        (await Store.Mailbox.ReadUndeliveredAsync("j1")).ShouldBe([new MailMessage("j1", 3, postedAt, "alice", "message", "thanks", null)]);
        (await Store.Mailbox.ReadAllAsync("j1")).ShouldBe(
        [
            new MailMessage("j1", 1, postedAt, "alice", "message", "please add tests", Now),
            new MailMessage("j1", 2, postedAt, "bob", "interrupt", "stop that", Now),
            new MailMessage("j1", 3, postedAt, "alice", "message", "thanks", null),
        ]);

        // Delivering again does not move the delivery time of messages already delivered.
        var deliveredAt = Now;
        Clock.Advance(TimeSpan.FromSeconds(4));
        await Store.Mailbox.MarkDeliveredAsync("j1", 3);
        (await Store.Mailbox.ReadAllAsync("j1")).Select(m => m.DeliveredAt).ShouldBe([deliveredAt, deliveredAt, Now]);
        (await Store.Mailbox.ReadUndeliveredAsync("j1")).ShouldBeEmpty();
        (await Store.Mailbox.PostAsync("j1", new NewMailMessage("alice", "message", "more"))).Sequence.ShouldBe(4);
    }
}
