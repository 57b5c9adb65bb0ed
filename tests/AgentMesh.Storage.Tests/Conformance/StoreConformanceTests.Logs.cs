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
    public async Task Log_append_on_a_missing_job_throws_KeyNotFoundException()
    {
        await Should.ThrowAsync<KeyNotFoundException>(() => Store.Logs.AppendAsync("missing", [new NewLogLine("stdout", "x")]));
        (await Store.Logs.ReadAsync("missing", 0, 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Log_append_with_the_held_lease_is_accepted()
    {
        await EnqueueAsync(Job("k1", id: "j1"));
        var claimed = await ClaimAsync("j1");

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
}
