using System.Globalization;
using AgentMesh.Grains.Workers;
using Orleans.Runtime;
using Orleans.Serialization.TypeSystem;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AgentMesh.Server.Api.Nodes;

/// <summary>
/// The cluster's silos, what <c>/api/nodes</c> and the dashboard's cluster page show: status, start and last
/// alive times from Orleans membership; roles, slots and version from silo metadata; the agents each runs from
/// Orleans too (the agent-worker grains active on it). No heartbeat or table of our own.
/// </summary>
public sealed class ClusterMembers(IClusterMembershipService membership, ISiloMetadataCache metadata, IGrainFactory grains)
{
    // Orleans names grain classes this way in its statistics.
    private static readonly string AgentWorkerType = RuntimeTypeNameFormatter.Format(typeof(AgentWorkerGrain));

    private static readonly TimeSpan SiloAnswerTimeout = TimeSpan.FromSeconds(2);

    public async Task<List<NodeView>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = (await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.SiloAddress);
        var running = await RunningAgentsBySiloAsync(
            membership.CurrentSnapshot.Members.Values.Where(m => m.Status != SiloStatus.Dead).Select(m => m.SiloAddress),
            cancellationToken).ConfigureAwait(false);
        var views = new List<NodeView>();
        foreach (var member in membership.CurrentSnapshot.Members.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var tags = metadata.GetSiloMetadata(member.SiloAddress).Metadata;
            var nodeId = tags.TryGetValue("node", out var id) ? id : member.Name;
            entries.TryGetValue(member.SiloAddress, out var entry);
            var alive = member.Status != SiloStatus.Dead;
            views.Add(new NodeView(
                nodeId,
                member.SiloAddress.ToParsableString(),
                member.Status.ToString().ToLowerInvariant(),
                tags.TryGetValue(WorkerSilosOnlyDirector.RolesKey, out var roles) ? roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
                tags.TryGetValue("slots", out var slots) ? int.Parse(slots, CultureInfo.InvariantCulture) : 0,
                alive ? running.GetValueOrDefault(member.SiloAddress) : 0,
                member.Status is SiloStatus.ShuttingDown or SiloStatus.Stopping,
                tags.TryGetValue("version", out var version) ? version : "",
                entry is null ? null : Utc(entry.StartTime),
                entry is null ? null : Utc(entry.IAmAliveTime),
                alive));
        }
        return views;
    }

    /// <summary>
    /// One agent-worker grain per running agent, on the silo that runs it. Each active silo is asked on its own,
    /// for at most <see cref="SiloAnswerTimeout"/>: a silo killed a moment ago is not dead until Orleans
    /// declares it dead, and it must not take the whole view down with it (it shows no running agents).
    /// A grain whose run just ended is counted until it deactivates, a moment later.
    /// </summary>
    private async Task<Dictionary<SiloAddress, int>> RunningAgentsBySiloAsync(IEnumerable<SiloAddress> silos, CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var counts = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                var activations = await management.GetDetailedGrainStatistics([AgentWorkerType], [silo])
                    .WaitAsync(SiloAnswerTimeout, cancellationToken).ConfigureAwait(false);
                return (Silo: silo, Count: activations.Length);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (Silo: silo, Count: 0);
            }
        })).ConfigureAwait(false);
        return counts.ToDictionary(c => c.Silo, c => c.Count);
    }

    // Orleans keeps membership times as UTC DateTimes.
    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
