using AgentMesh.Storage.Abstractions;
using Orleans.Runtime;

namespace AgentMesh.Server.Maintenance;

/// <summary>
/// Hands the jobs of a worker silo back as soon as Orleans' membership declares it dead, instead of
/// waiting out its leases (<c>Node:LeaseDuration</c>, a minute by default): its leases are ended and
/// the rescuer re-queues its jobs as their next attempt at once. Runs on every node; ending a lease
/// twice and rescuing concurrently are both safe in the store.
/// </summary>
/// <remarks>
/// Only deaths seen while this node runs count: the membership table keeps dead silos of earlier
/// runs, and a node restarted under the same id must not lose the leases it holds now. For the same
/// reason a name that also belongs to a live member is left alone.
/// </remarks>
public sealed partial class DeadSiloRescueService(
    IClusterMembershipService membership,
    IAgentMeshStore store,
    ILogger<DeadSiloRescueService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var known = new Dictionary<SiloAddress, SiloStatus>();
        var first = true;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                var newlyDead = snapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Dead && known.TryGetValue(m.SiloAddress, out var before) && before != SiloStatus.Dead)
                    .Where(m => !snapshot.Members.Values.Any(other => other.Name == m.Name && other.Status != SiloStatus.Dead))
                    .ToList();
                foreach (var member in snapshot.Members.Values)
                {
                    known[member.SiloAddress] = member.Status;
                }
                if (first)
                {
                    first = false;
                    continue;
                }
                foreach (var dead in newlyDead)
                {
                    await RescueAsync(dead.Name, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RescueAsync(string nodeId, CancellationToken cancellationToken)
    {
        try
        {
            var ended = await store.Jobs.ExpireLeasesOfAsync($"{nodeId}/", cancellationToken).ConfigureAwait(false);
            // No backoff: the node failed, not the job; the attempt still counts, so a job that kills its
            // workers cannot loop past its maximum attempts.
            var rescued = await store.Jobs.RescueExpiredLeasesAsync(_ => TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            LogRescued(logger, nodeId, ended, rescued.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease rescuer still takes the jobs once their leases run out.
            LogRescueFailed(logger, ex, nodeId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {NodeId} was declared dead: ended {Leases} of its leases, rescued {Jobs} jobs")]
    private static partial void LogRescued(ILogger logger, string nodeId, int leases, int jobs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handing back the jobs of dead silo {NodeId} failed; their leases will expire")]
    private static partial void LogRescueFailed(ILogger logger, Exception exception, string nodeId);
}
