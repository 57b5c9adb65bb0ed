using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Outbox;

/// <summary>
/// Once per node start, wakes the effects grain of every job with pending side effects: items an earlier version
/// wrote (before effects had reminders), or whose wake-up and reminder were both lost. After that, nothing here
/// runs: each job's effects grain keeps its own reminder.
/// </summary>
public sealed partial class PendingEffectsSweep(IAgentMeshStore store, IGrainFactory grains, ILogger<PendingEffectsSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var jobs = await store.Outbox.JobsWithPendingEffectsAsync(max: 10_000, stoppingToken).ConfigureAwait(false);
            foreach (var jobId in jobs)
            {
                await grains.GetGrain<IJobEffectsGrain>(jobId).PerformSoonAsync().ConfigureAwait(false);
            }
            if (jobs.Count > 0)
            {
                LogSwept(logger, jobs.Count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke the effects of {Count} jobs with pending side effects")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The start-up sweep of pending side effects failed; each job's effects reminder still performs them")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
