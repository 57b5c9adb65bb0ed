using AgentMesh.Grains.Abstractions.Jobs;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Grains.Jobs;

/// <summary>
/// A job grain's link to the job's effects grain: before a turn that may write effects, the grain's reminder is
/// set; after the commit, the grain is woken to perform them. Failures are logged, never thrown: the turn must
/// not fail because a wake-up could not be sent, and the reminder (or the next node start's sweep) covers it.
/// </summary>
public sealed partial class JobEffectsWakeUp(IGrainFactory grains, ILogger<JobEffectsWakeUp> logger)
{
    public async Task ExpectAsync(string jobId)
    {
        try
        {
            await grains.GetGrain<IJobEffectsGrain>(jobId).ExpectAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, jobId);
        }
    }

    public async Task PerformSoonAsync(string jobId)
    {
        try
        {
            await grains.GetGrain<IJobEffectsGrain>(jobId).PerformSoonAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, jobId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The effects grain of job {JobId} could not be reached; its reminder or the next start's sweep performs the job's effects")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId);
}
