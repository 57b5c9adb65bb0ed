using AgentMesh.Server.Hosting;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Maintenance;

/// <summary>
/// Rescues jobs whose lease expired because their node died: re-queued with attempt + 1 and a
/// backoff, or failed after the last attempt. Runs on every node; the store makes concurrent
/// rescuers safe (each expired lease is rescued once, and the fence refuses the dead holder).
/// </summary>
public sealed partial class LeaseRescueService(
    IAgentMeshStore store,
    IOptions<NodeOptions> options,
    TimeProvider timeProvider,
    ILogger<LeaseRescueService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var node = options.Value;
        using var timer = new PeriodicTimer(node.RescueInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var rescued = await store.Jobs.RescueExpiredLeasesAsync(attempt => Backoff(node.RescueBackoff, attempt), stoppingToken).ConfigureAwait(false);
                foreach (var job in rescued)
                {
                    LogRescued(logger, job.Id, job.State.ToString(), job.Attempt);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRescueFailed(logger, ex);
            }
        }
    }

    /// <summary>The base delay doubled per attempt after the first, capped at 64 times the base.</summary>
    public static TimeSpan Backoff(TimeSpan baseDelay, int attempt) =>
        baseDelay * Math.Pow(2, Math.Clamp(attempt - 2, 0, 6));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rescued job {JobId} after its lease expired: now {State}, attempt {Attempt}")]
    private static partial void LogRescued(ILogger logger, string jobId, string state, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rescuing expired leases failed")]
    private static partial void LogRescueFailed(ILogger logger, Exception exception);
}
