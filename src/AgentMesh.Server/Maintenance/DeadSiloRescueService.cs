using AgentMesh.Core.Jobs;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using Orleans.Runtime;

namespace AgentMesh.Server.Maintenance;

/// <summary>
/// When Orleans' membership declares a silo dead, asks the job grain of every run that silo's worker slots held
/// to check it (<see cref="IJobGrain.CheckRunAsync"/>): the run's agent-worker grain is gone with the silo, so
/// each is reported lost and re-queued as its next attempt at once, instead of waiting for the job grain's own
/// watch reminder. Runs on every node; a run checked twice is reported once (the report is fenced). After any
/// silo's death (a graceful stop included) the node's idle worker slots look for claimable jobs at once.
/// </summary>
/// <remarks>
/// Only deaths seen while this node runs count: the membership table keeps dead silos of earlier runs. A run
/// whose silo died while no node watched (one node killed and restarted) is found by its job grain's reminder,
/// and at a worker node's start (<see cref="CheckRunsOfGoneNodesAsync"/>).
/// </remarks>
public sealed partial class DeadSiloRescueService(
    IClusterMembershipService membership,
    IAgentMeshStore store,
    IGrainFactory grains,
    IdleSlotsSignal idleSlots,
    ILogger<DeadSiloRescueService> logger) : BackgroundService
{
    /// <summary>
    /// Checks every held run whose owner node is no live silo's: a node's own earlier life included, since a
    /// starting node has claimed nothing yet. Called by a worker node before its slots claim.
    /// </summary>
    public async Task CheckRunsOfGoneNodesAsync(string selfNodeId, CancellationToken cancellationToken)
    {
        var alive = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status is not SiloStatus.Dead && m.Name != selfNodeId)
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);
        var (runs, lost) = await CheckHeldRunsAsync(nodeId => !alive.Contains(nodeId), cancellationToken).ConfigureAwait(false);
        if (runs > 0)
        {
            LogGoneNodesChecked(logger, runs, lost);
        }
    }

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
                    // A node restarted under the same name holds its runs again: those are not lost.
                    .Where(m => !snapshot.Members.Values.Any(other => other.Name == m.Name && other.Status != SiloStatus.Dead))
                    .Select(m => m.Name)
                    .ToHashSet(StringComparer.Ordinal);
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
                    var (runs, lost) = await CheckHeldRunsAsync(nodeId => nodeId == dead, stoppingToken).ConfigureAwait(false);
                    LogDeclaredDead(logger, dead, runs, lost);
                }
                if (newlyDead.Count > 0)
                {
                    // Checked means re-queued by now (whichever node's check reached each job grain first), and a silo
                    // that stopped gracefully handed its jobs back before it left: either way their notices went through
                    // streams whose queues may have lived on the silo that is gone. This node's idle slots look at once.
                    idleSlots.Raise();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Asks the job grain of every held run whose owner node matches to check it; returns how many runs, and how many were lost.</summary>
    private async Task<(int Runs, int Lost)> CheckHeldRunsAsync(Func<string, bool> ofNode, CancellationToken cancellationToken)
    {
        try
        {
            var held = await store.Jobs.ListAsync(new JobQuery(States: [JobState.Running, JobState.Fixing], Limit: 10_000), cancellationToken).ConfigureAwait(false);
            var runs = held.Where(j => j.LeaseOwner is { } owner && ofNode(NodeOf(owner))).ToList();
            var checks = await Task.WhenAll(runs.Select(j => grains.GetGrain<IJobGrain>(j.Id).CheckRunAsync(j.LeaseOwner!, j.Fence))).ConfigureAwait(false);
            return (runs.Count, checks.Count(c => c == RunCheck.Lost));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Each job grain's watch reminder still finds its lost run.
            LogCheckFailed(logger, ex);
            return (0, 0);
        }
    }

    // A worker slot's name is NODEID/SLOT.
    private static string NodeOf(string owner) => owner[..Math.Max(0, owner.LastIndexOf('/'))];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {NodeId} was declared dead: checked its {Runs} runs, {Lost} lost and re-queued")]
    private static partial void LogDeclaredDead(ILogger logger, string nodeId, int runs, int lost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checked {Runs} runs of nodes gone before this one started: {Lost} lost and re-queued")]
    private static partial void LogGoneNodesChecked(ILogger logger, int runs, int lost);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking the runs of gone silos failed; their job grains' run-watch reminders will find them")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
