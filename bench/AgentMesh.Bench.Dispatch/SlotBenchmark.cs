using System.Globalization;

namespace AgentMesh.Bench.Dispatch;

/// <summary>
/// Issue 8's "with every slot busy a job stays queued and starts within a second of a slot freeing": a node with
/// one worker slot, a held agent in it, a second job queued behind it; the held agent is released and the time
/// to the queued job's agent starting is measured (<see cref="DispatchWorld.RunSlotSampleAsync"/>).
/// </summary>
internal static class SlotBenchmark
{
    private const int WarmUpSamples = 2;

    public static async Task<int> RunAsync(int samples, IReadOnlyList<string> backends)
    {
        Console.WriteLine($"Slot freed -> queued job's agent started: one worker slot, {samples} samples per backend ({WarmUpSamples} warm-up samples not counted).");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine("| store | samples | release→next started p50 (ms) | p99 (ms) | min (ms) | max (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var backend in backends)
        {
            await using var world = await DispatchWorld.StartAsync(backend, await DispatchBenchmark.StoreSettingsAsync(backend), workerSlots: 1, maxConcurrentJobs: 2);
            for (var i = 0; i < WarmUpSamples; i++)
            {
                await world.RunSlotSampleAsync();
            }
            var measured = new List<double>(samples);
            for (var i = 0; i < samples; i++)
            {
                measured.Add(await world.RunSlotSampleAsync());
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {backend} | {measured.Count} | {DispatchBenchmark.Percentile(measured, 50):F1} | {DispatchBenchmark.Percentile(measured, 99):F1} | {measured.Min():F1} | {measured.Max():F1} |"));
        }
        return 0;
    }
}
