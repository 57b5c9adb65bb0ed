using System.Globalization;
using AgentMesh.Storage.Abstractions;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AgentMesh.Server.Api.Nodes;

/// <summary>
/// The cluster's silos from Orleans membership, with their roles and slots from silo metadata and
/// their running agents from their heartbeats: what <c>/api/nodes</c> and the dashboard's cluster page show.
/// </summary>
public sealed class ClusterMembers(IClusterMembershipService membership, ISiloMetadataCache metadata, IAgentMeshStore store)
{
    public async Task<List<NodeView>> ListAsync(CancellationToken cancellationToken)
    {
        // Running agents are counted by each worker's heartbeat until the agent-worker grains report them.
        var heartbeats = (await store.Nodes.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.NodeId, StringComparer.Ordinal);
        var views = new List<NodeView>();
        foreach (var member in membership.CurrentSnapshot.Members.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var tags = metadata.GetSiloMetadata(member.SiloAddress).Metadata;
            var nodeId = tags.TryGetValue("node", out var id) ? id : member.Name;
            heartbeats.TryGetValue(nodeId, out var heartbeat);
            views.Add(new NodeView(
                nodeId,
                member.SiloAddress.ToParsableString(),
                member.Status.ToString().ToLowerInvariant(),
                tags.TryGetValue("roles", out var roles) ? roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
                tags.TryGetValue("slots", out var slots) ? int.Parse(slots, CultureInfo.InvariantCulture) : 0,
                heartbeat?.RunningJobs ?? 0,
                member.Status is SiloStatus.ShuttingDown or SiloStatus.Stopping || heartbeat?.Stopping == true,
                heartbeat?.Version ?? "",
                heartbeat?.StartedAt,
                heartbeat?.HeartbeatAt,
                member.Status != SiloStatus.Dead));
        }
        return views;
    }
}
