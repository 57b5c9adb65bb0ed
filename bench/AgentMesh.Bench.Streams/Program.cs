using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using AgentMesh.Grains;
using AgentMesh.Grains.Abstractions.Logs;
using AgentMesh.Server.Hosting;
using AgentMesh.Server.LiveLogs;
using AgentMesh.Storage.OrleansSql;
using AgentMesh.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;

// Live log latency across silos: two silos (in one process, real PostgreSQL storage, the node's grain
// configuration), log batches published on silo A's job stream, received by a subscriber on silo B.
// Usage: AgentMesh.Bench.Streams [lines, default 1000] [lines per second, default 100]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;

var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
await OrleansSchema.ApplyPostgresAsync(connectionString);
var builder = new InProcessTestClusterBuilder(2);
builder.ConfigureSilo((_, silo) => silo.UseAgentMeshGrains(new GrainDatabase(OrleansSchema.PostgresInvariant, connectionString), new GrainTimingOptions()));
builder.ConfigureClient(client => client.Services.AddAgentMeshSerialization());
await using var cluster = builder.Build();
await cluster.DeployAsync();
var silos = cluster.Silos.ToList();
var publisher = cluster.GetSiloServiceProvider(silos[0].SiloAddress).GetRequiredService<IClusterClient>();
var subscriber = cluster.GetSiloServiceProvider(silos[1].SiloAddress).GetRequiredService<IClusterClient>();

var sentAt = new ConcurrentDictionary<long, long>();
var latencies = new ConcurrentBag<double>();
var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
const string jobId = "bench-job";
await LiveLogPublisher.Stream(subscriber, jobId).SubscribeAsync((batch, _) =>
{
    var received = Stopwatch.GetTimestamp();
    foreach (var line in batch.Lines)
    {
        if (sentAt.TryGetValue(line.Sequence, out var sent))
        {
            latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
        }
        if (line.Sequence == count)
        {
            done.TrySetResult();
        }
    }
    return Task.CompletedTask;
});

var stream = LiveLogPublisher.Stream(publisher, jobId);
// Warm-up: the stream's first event pays for activations and the subscription's storage read.
await stream.OnNextAsync(new LiveLogBatch(jobId, [new LiveLogLine(0, DateTimeOffset.UtcNow, "system", "warm-up")]));
var start = Stopwatch.GetTimestamp();
for (var i = 1; i <= count; i++)
{
    // Open loop: line i is due at start + i/rate, whatever happened before.
    var due = start + (long)(i * Stopwatch.Frequency / (double)rate);
    while (Stopwatch.GetTimestamp() < due)
    {
        await Task.Delay(TimeSpan.FromTicks(Math.Max(1, (due - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
    }
    sentAt[i] = Stopwatch.GetTimestamp();
    await stream.OnNextAsync(new LiveLogBatch(jobId, [new LiveLogLine(i, DateTimeOffset.UtcNow, "agent", $"line {i}")]));
}
await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
var sorted = latencies.Order().ToArray();
double P(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
Console.WriteLine($"Live log latency, silo A -> subscriber on silo B, {count} one-line batches at {rate}/s, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
Console.WriteLine("| lines | received | p50 (ms) | p99 (ms) | max (ms) | load avg |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {count} | {sorted.Length} | {P(0.5):F1} | {P(0.99):F1} | {sorted[^1]:F1} | {load} |"));
return 0;
