using System.Diagnostics;
using System.Globalization;
using AgentMesh.Agents.Processes;
using AgentMesh.Testing;

// Cost of supervising agents on one node: CPU and memory of THIS process per running agent, with fake
// agents printing 100 lines a second each, and the time from "start" to the agent running (its first line).
// Usage: dotnet run -c Release --project bench/AgentMesh.Bench.Agents [-- seconds-per-level]
var window = TimeSpan.FromSeconds(args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10);
int[] levels = [1, 50, 200];
using var temp = new TempDirectory("agentmesh-bench");
var script = Path.Combine(temp.Path, "hundred-lines-a-second.sh");
File.WriteAllText(script, "#!/bin/sh\necho started\nwhile :; do i=0; while [ $i -lt 10 ]; do echo \"agent output line $i with some text to make it realistic\"; i=$((i+1)); done; sleep 0.1; done\n");
if (OperatingSystem.IsLinux())
{
    File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}
var env = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" };
var self = Process.GetCurrentProcess();

(double Cpu, long WorkingSet, long Heap, int Threads) Sample()
{
    self.Refresh();
    return (self.TotalProcessorTime.TotalMilliseconds, self.WorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes, self.Threads.Count);
}

GC.Collect();
var idleRetained = GC.GetTotalMemory(forceFullCollection: true);
var idleCpu0 = Sample();
await Task.Delay(TimeSpan.FromSeconds(2));
var idle = Sample();
var idleCpuPercent = (idle.Cpu - idleCpu0.Cpu) / 2000 * 100;

Console.WriteLine($"AgentMesh agent-runner benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {window.TotalSeconds:0} s per level");
Console.WriteLine($"idle node: working set {idle.WorkingSet / 1048576.0:0.0} MiB, GC heap {idle.Heap / 1048576.0:0.0} MiB, CPU {idleCpuPercent:0.00}%, {idle.Threads} threads");
Console.WriteLine();
Console.WriteLine("| agents | lines read/s | node CPU % (of one core) | CPU % per agent | working set MiB | +MiB per agent | GC heap MiB | retained KiB per agent | threads | start→running p50 ms | p99 ms |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

foreach (var count in levels)
{
    var processes = new List<AgentProcess>();
    var startLatencies = new double[count];
    var firstLine = new TaskCompletionSource[count];
    long lines = 0;
    var readers = new List<Task>();
    for (var i = 0; i < count; i++)
    {
        var index = i;
        firstLine[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var process = AgentProcess.Start(new AgentProcessStartInfo { FileName = script, WorkingDirectory = temp.Path, Environment = env });
        processes.Add(process);
        readers.Add(Task.Run(async () =>
        {
            await foreach (var line in process.Output.ReadAllAsync())
            {
                if (line.Text == "started")
                {
                    startLatencies[index] = clock.Elapsed.TotalMilliseconds;
                    firstLine[index].TrySetResult();
                }
                Interlocked.Increment(ref lines);
            }
        }));
    }
    await Task.WhenAll(firstLine.Select(t => t.Task));
    await Task.Delay(TimeSpan.FromSeconds(1)); // let the output settle into its steady rate
    var before = Sample();
    var linesBefore = Interlocked.Read(ref lines);
    await Task.Delay(window);
    var after = Sample();
    var linesRead = Interlocked.Read(ref lines) - linesBefore;
    // After the timed window, so the full collection does not count in it: managed memory that stays reachable
    // per running agent (the sampled GC heap above also holds garbage not yet collected).
    var retainedPerAgent = (GC.GetTotalMemory(forceFullCollection: true) - idleRetained) / 1024.0 / count;
    var cpuPercent = (after.Cpu - before.Cpu) / window.TotalMilliseconds * 100;
    Array.Sort(startLatencies);
    var p50 = startLatencies[(int)Math.Floor(0.50 * (count - 1))];
    var p99 = startLatencies[(int)Math.Floor(0.99 * (count - 1))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {count} | {linesRead / window.TotalSeconds:0} | {cpuPercent:0.0} | {(cpuPercent - idleCpuPercent) / count:0.000} | {after.WorkingSet / 1048576.0:0.0} | {(after.WorkingSet - idle.WorkingSet) / 1048576.0 / count:0.00} | {after.Heap / 1048576.0:0.0} | {retainedPerAgent:0.0} | {after.Threads} | {p50:0.0} | {p99:0.0} |"));
    await Task.WhenAll(processes.Select(p => p.StopAsync()));
    await Task.WhenAll(readers);
    foreach (var process in processes)
    {
        await process.DisposeAsync();
    }
    GC.Collect();
}
return 0;
