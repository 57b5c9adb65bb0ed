using System.Globalization;
using AgentMesh.Bench.Dispatch;

// Dispatch latency: signed issues.opened webhook sent -> agent process started, on an idle worker of a real
// `agentmesh serve` process (docs/performance.md, "Dispatch latency").
// Usage: AgentMesh.Bench.Dispatch [samples per backend, default 30] [sqlite|postgres|both, default both]
//        AgentMesh.Bench.Dispatch failover [samples, default 5]   (kill -9 of a worker silo -> agent running again)
//        AgentMesh.Bench.Dispatch slots [samples, default 20] [sqlite|postgres|both]   (slot freed -> queued job's agent started)
if (args.Length > 0 && args[0] == "failover")
{
    return await FailoverBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
}
if (args.Length > 0 && args[0] == "slots")
{
    return await SlotBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20, Backends(args.Length > 2 ? args[2] : "both"));
}
var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
if (samples < 1)
{
    throw new ArgumentException($"The sample count must be at least 1, not {samples}.");
}
return await DispatchBenchmark.RunAsync(samples, Backends(args.Length > 1 ? args[1] : "both"));

static string[] Backends(string which) => which switch
{
    "both" => ["sqlite", "postgres"],
    "sqlite" or "postgres" => [which],
    _ => throw new ArgumentException($"The backend must be sqlite, postgres or both, not '{which}'."),
};
