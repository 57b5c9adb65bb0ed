using AgentMesh.Bench.Dispatch;

// Usage: AgentMesh.Bench.Dispatch [samples per backend, default 30] [sqlite|postgres|both, default both]
var samples = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 30;
var which = args.Length > 1 ? args[1] : "both";
string[] backends = which switch
{
    "both" => ["sqlite", "postgres"],
    "sqlite" or "postgres" => [which],
    _ => throw new ArgumentException($"The second argument must be sqlite, postgres or both, not '{which}'."),
};
return await DispatchBenchmark.RunAsync(samples, backends);
