using System.Collections.Concurrent;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Worker;

/// <summary>How a running job's log lines reach the store: every line, in order, in few writes when the agent is chatty.</summary>
public sealed class JobLogWriterTests
{
    private static readonly JobLease Lease = new("job-1", "node/1", 1);

    [Fact]
    public async Task An_agent_printing_all_the_time_gets_one_write_per_interval_and_every_line_stored_in_order()
    {
        var store = new RecordingLog();
        var options = new WorkerOptions { LogWriteInterval = TimeSpan.FromMilliseconds(100), LogBatchSize = 10_000 };
        var printed = 0;
        await using (var writer = new JobLogWriter(store, Lease, options))
        {
            // An agent that never stops printing, for 300 ms.
            var printing = System.Diagnostics.Stopwatch.StartNew();
            while (printing.ElapsedMilliseconds < 300 && printed < 5_000)
            {
                writer.Write("agent", $"line {++printed}");
                await Task.Yield();
            }
        }

        store.Lines.ShouldBe(Enumerable.Range(1, printed).Select(i => $"line {i}"), "every line, once, in order");
        // The first line at once, then one write per 100 ms while it prints, and the rest when the run ends.
        store.Writes.Count.ShouldBeLessThanOrEqualTo(6, $"{printed} lines printed over 300 ms share writes");
        store.Writes.Zip(store.Writes.Skip(1), (earlier, later) => later - earlier)
            .ShouldAllBe(gap => gap >= TimeSpan.FromMilliseconds(95), "writes are at least the interval apart");
    }

    [Fact]
    public async Task With_no_floor_between_writes_lines_still_arrive_whole_and_in_order()
    {
        var store = new RecordingLog();
        await using (var writer = new JobLogWriter(store, Lease, new WorkerOptions { LogWriteInterval = TimeSpan.Zero }))
        {
            for (var i = 1; i <= 200; i++)
            {
                writer.Write("agent", $"line {i}");
            }
        }

        store.Lines.ShouldBe(Enumerable.Range(1, 200).Select(i => $"line {i}"));
    }

    /// <summary>An instant log store that counts its writes.</summary>
    private sealed class RecordingLog : IJobLog
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly ConcurrentQueue<TimeSpan> _writes = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        public IReadOnlyList<string> Lines => [.. _lines];

        /// <summary>When each write came, since the store was made.</summary>
        public IReadOnlyList<TimeSpan> Writes => [.. _writes];

        public Task<long> AppendAsync(string jobId, IReadOnlyList<NewLogLine> lines, JobLease? lease = null, CancellationToken cancellationToken = default)
        {
            _writes.Enqueue(_clock.Elapsed);
            foreach (var line in lines)
            {
                _lines.Enqueue(line.Text);
            }
            return Task.FromResult((long)_lines.Count);
        }

        public Task<IReadOnlyList<LogLine>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<LogLine>> TailAsync(string jobId, int count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
