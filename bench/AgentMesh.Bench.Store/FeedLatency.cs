using System.Diagnostics;
using AgentMesh.Storage.Abstractions;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;

namespace AgentMesh.Bench.Store;

internal sealed record LatencyResult(int Samples, TimeSpan P50, TimeSpan P99, TimeSpan Max);

/// <summary>
/// Change-feed latency on PostgreSQL between two connections: a writer store appends one log line (one
/// transaction, one NOTIFY) and stamps the time just before the call; a second store on the same database,
/// subscribed to the job, stamps the time its subscriber receives the <c>Log</c> change with that
/// sequence. One change in flight at a time, so the number is the wake-up latency (commit included), not
/// queueing.
/// </summary>
internal static class FeedLatency
{
    public static async Task<LatencyResult> RunAsync(int samples)
    {
        await using var writer = await BenchStore.CreateAsync(Backend.Postgres);
        await using var reader = BenchStore.OpenPostgres(writer.ConnectionString);
        var job = (await writer.Store.Jobs.EnqueueAsync(new NewJob("feed-bench", "bench/feed", "feed-bench", "noop", "{}"))).Job;

        using var stop = new CancellationTokenSource();
        var sentAt = new long[samples + 1];
        var latencies = new List<TimeSpan>(samples);
        var received = new SemaphoreSlim(0);
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in reader.Feed.SubscribeAsync(job.Id, stop.Token))
                {
                    var now = Stopwatch.GetTimestamp();
                    if (change.Kind == StoreChangeKind.Resync)
                    {
                        live.TrySetResult();
                        continue;
                    }
                    if (change.Kind == StoreChangeKind.Log && change.Sequence <= samples)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(sentAt[change.Sequence], now));
                        received.Release();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await live.Task.WaitAsync(TimeSpan.FromSeconds(30));

        for (var i = 1; i <= samples; i++)
        {
            sentAt[i] = Stopwatch.GetTimestamp();
            await writer.Store.Logs.AppendAsync(job.Id, [new NewLogLine("stdout", "tick")]);
            if (!await received.WaitAsync(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"The reader never received log sequence {i}.");
            }
        }
        await stop.CancelAsync();
        await subscriber;

        var sorted = latencies.Order().ToList();
        return new LatencyResult(sorted.Count, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
