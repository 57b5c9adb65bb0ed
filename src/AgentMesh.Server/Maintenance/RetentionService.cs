using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Maintenance;

/// <summary>
/// Deletes log lines, hours of the usage read model (and, when configured, finished jobs) past their
/// retention, so the store does not grow without bound. Safe on several nodes at once: each purge is
/// one DELETE by age.
/// </summary>
public sealed partial class RetentionService(
    IAgentMeshStore store,
    RetentionOptions options,
    TimeProvider timeProvider,
    ILogger<RetentionService> logger) : BackgroundService
{
    /// <summary>One purge pass; returns how many log lines, jobs and usage hours it deleted.</summary>
    public async Task<(int LogLines, int Jobs, int UsageHours)> PurgeOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var lines = await store.Logs.PurgeOlderThanAsync(now - options.LogLines, cancellationToken).ConfigureAwait(false);
        var jobs = options.FinishedJobs is { } keep
            ? await store.Jobs.PurgeTerminalAsync(now - keep, cancellationToken).ConfigureAwait(false)
            : 0;
        var usage = await store.Usage.PurgeOlderThanAsync(now - options.Usage, cancellationToken).ConfigureAwait(false);
        if (lines > 0 || jobs > 0 || usage > 0)
        {
            LogPurged(logger, lines, jobs, usage);
        }
        return (lines, jobs, usage);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, timeProvider);
        do
        {
            try
            {
                await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {LogLines} log lines, {Jobs} finished jobs and {UsageHours} usage hours")]
    private static partial void LogPurged(ILogger logger, int logLines, int jobs, int usageHours);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention purge failed")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
