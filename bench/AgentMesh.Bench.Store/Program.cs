using System.Globalization;
using AgentMesh.Bench.Store;

// Store benchmark: claim-and-complete throughput of no-op jobs on SQLite and PostgreSQL with 1, 4 and 16
// concurrent claimers. (Job change latency is the streams' now: bench/AgentMesh.Bench.Streams.)
// Usage: dotnet run -c Release --project bench/AgentMesh.Bench.Store [-- --jobs 2000]
var jobs = IntArg(args, "--jobs", 2000);
int[] claimers = [1, 4, 16];

Console.WriteLine($"AgentMesh store benchmark: {jobs} no-op jobs per run, claimers {string.Join("/", claimers)}");
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, {Environment.OSVersion}");
Console.WriteLine();

var throughput = new List<ThroughputResult>();
foreach (var backend in new[] { Backend.Sqlite, Backend.Postgres })
{
    // Untimed warm-up: JIT, connection pools, the PostgreSQL server's caches.
    await ClaimThroughput.RunAsync(backend, Math.Min(jobs, 200), 4);
    foreach (var count in claimers)
    {
        var result = await ClaimThroughput.RunAsync(backend, jobs, count);
        Console.WriteLine($"  {result.Backend,-10} {result.Claimers,2} claimers: {result.JobsPerSecond,8:0} jobs/s");
        throughput.Add(result);
    }
}

Console.WriteLine();
Console.WriteLine("| backend | claimers | jobs | seconds | jobs/s |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var r in throughput)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Backend} | {r.Claimers} | {r.Jobs} | {r.Elapsed.TotalSeconds:0.00} | {r.JobsPerSecond:0} |"));
}
return 0;

static int IntArg(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
