using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentMesh.Testing.Postgres;

namespace AgentMesh.Bench.Dispatch;

/// <summary>
/// Runs the samples on each backend and prints the table. Warm-up samples per backend are run first and not
/// counted: they pay for the first clone of the repository's mirror and for the node's JIT. The node compiles each
/// method optimised at its first call (quick JIT is off), but .NET still recompiles the framework's precompiled
/// methods once they have been called 30 times, on a background thread; on the 2-core VPS that thread took 5–48 ms
/// of CPU during most samples until the node had run about 35 jobs, and none after (perf sched, docs/performance.md).
/// The samples measure a node past that: one that has been serving for a while.
/// </summary>
internal static class DispatchBenchmark
{
    private const int WarmUpSamples = 40;

    public static async Task<int> RunAsync(int samples, IReadOnlyList<string> backends)
    {
        Console.WriteLine($"Dispatch latency: signed issues.opened webhook sent -> agent process started (its first instruction), idle worker, {samples} samples per backend ({WarmUpSamples} warm-up samples not counted).");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        var results = new List<BackendResult>();
        foreach (var backend in backends)
        {
            var loadBefore = LoadAverage();
            await using var world = await DispatchWorld.StartAsync(backend, await StoreSettingsAsync(backend));
            for (var i = 0; i < WarmUpSamples; i++)
            {
                await world.RunSampleAsync();
            }
            var measured = new List<Sample>(samples);
            for (var i = 0; i < samples; i++)
            {
                measured.Add(await world.RunSampleAsync());
            }
            var result = new BackendResult(backend, measured, loadBefore, LoadAverage());
            results.Add(result);
            Console.WriteLine($"{backend}: done ({result.Describe()})");
        }
        Console.WriteLine();
        Console.WriteLine(Table(results));
        return 0;
    }

    public static async Task<Dictionary<string, string>> StoreSettingsAsync(string backend)
    {
        if (backend != "postgres")
        {
            return [];
        }
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        return new Dictionary<string, string>
        {
            ["AGENTMESH_Store__Provider"] = "postgres",
            ["AGENTMESH_Store__ConnectionString"] = connectionString,
        };
    }

    private static string Table(IReadOnlyList<BackendResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| store | samples | webhook→started p50 (ms) | p99 (ms) | min (ms) | max (ms) | mean (ms) | ack p50 (ms) | → job created p50 (ms) | → worker reads issue p50 (ms) | → worktree ready p50 (ms) | → process spawned p50 (ms) | spawned → started p50 (ms) | → script's first line p50 (ms) | from the spare | load avg (1 min) before → after |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var total = r.Samples.Select(s => s.TotalMs).ToList();
            var ack = r.Samples.Select(s => s.AckMs).ToList();
            var created = r.Samples.Select(s => s.Node.CreatedMs).ToList();
            var issueRead = r.Samples.Select(s => s.Node.IssueReadMs).ToList();
            var worktree = r.Samples.Select(s => s.Node.WorktreeMs).ToList();
            var spawned = r.Samples.Select(s => s.Node.SpawnedMs).ToList();
            var signalled = r.Samples.Select(s => s.TotalMs - s.Node.SpawnedMs).ToList();
            var firstLine = r.Samples.Select(s => s.FirstLineMs).ToList();
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Backend} | {total.Count} | {Percentile(total, 50):F1} | {Percentile(total, 99):F1} | {total.Min():F1} | {total.Max():F1} | {total.Average():F1} | {Percentile(ack, 50):F1} | {Percentile(created, 50):F1} | {Percentile(issueRead, 50):F1} | {Percentile(worktree, 50):F1} | {Percentile(spawned, 50):F1} | {Percentile(signalled, 50):F1} | {Percentile(firstLine, 50):F1} | {r.Samples.Count(s => s.Node.FromSpare)}/{r.Samples.Count} | {r.LoadBefore} → {r.LoadAfter} |"));
        }
        return table.ToString();
    }

    /// <summary>Nearest-rank percentile: with 30 samples the p99 is the largest one.</summary>
    public static double Percentile(IReadOnlyList<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private sealed record BackendResult(string Backend, IReadOnlyList<Sample> Samples, string LoadBefore, string LoadAfter)
    {
        public string Describe()
        {
            var total = Samples.Select(s => s.TotalMs).ToList();
            return string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(total, 50):F1} ms, p99 {Percentile(total, 99):F1} ms");
        }
    }
}

/// <summary>
/// One dispatch, in milliseconds from sending the webhook: to its acknowledgement, to the agent's process start
/// (taken by the process itself) and to its script's first line (all on the machine's monotonic clock), and to
/// the node's own milestones.
/// </summary>
internal sealed record Sample(double AckMs, Milestones Node, double TotalMs, double FirstLineMs)
{
    public static Sample From(long sent, long acknowledged, StartSignal started, Milestones node)
    {
        var processStarted = started.RequireProcessStarted();
        if (processStarted <= sent || processStarted > started.FirstLine)
        {
            // The agent's clock is not this process's: the sample would be meaningless.
            throw new InvalidOperationException($"The agent of {started.Marker} reported its start at {processStarted}, outside the webhook's send ({sent}) and its first line ({started.FirstLine}).");
        }
        return new(
            Stopwatch.GetElapsedTime(sent, acknowledged).TotalMilliseconds,
            node,
            Stopwatch.GetElapsedTime(sent, processStarted).TotalMilliseconds,
            Stopwatch.GetElapsedTime(sent, started.FirstLine).TotalMilliseconds);
    }
}

/// <summary>
/// Milliseconds from sending the webhook to milestones inside the node, read from wall clocks (the store's
/// CreatedAt, the node's log timestamps) against this machine's wall clock at sending, so about 1 ms coarse:
/// the job created (inbox + admission), the worker reading the job's issue from the fake GitHub (claimed, one
/// REST call in; monotonic clock), the worktree ready (GitHub reads + fetch + worktree, or the spare adopted),
/// the agent process spawned; and whether the run adopted the repo's spare worktree.
/// </summary>
internal sealed record Milestones(double CreatedMs, double IssueReadMs, double WorktreeMs, double SpawnedMs, bool FromSpare);
