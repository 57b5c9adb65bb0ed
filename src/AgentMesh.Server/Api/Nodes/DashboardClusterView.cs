using AgentMesh.Core.Jobs;
using AgentMesh.Dashboard.Cluster;
using AgentMesh.Server.Actors;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Api.Nodes;

/// <summary>The dashboard's cluster page: <c>/api/nodes</c>'s view of each silo, and the jobs its worker slots hold.</summary>
public sealed class DashboardClusterView(ClusterMembers members, IAgentMeshStore store) : IClusterView
{
    private static readonly JobState[] Leased = [JobState.Running, JobState.Fixing];

    public async Task<IReadOnlyList<ClusterNode>> ListAsync(CancellationToken cancellationToken)
    {
        var nodes = await members.ListAsync(cancellationToken).ConfigureAwait(false);
        var running = await store.Jobs.ListAsync(new JobQuery(States: Leased, Limit: 1000), cancellationToken).ConfigureAwait(false);
        // A worker slot leases as "node/slot" (WorkerService), so a lease names the node running the agent.
        var agents = running
            .Where(j => j.LeaseOwner is not null)
            .Select(j => (Node: NodeOf(j.LeaseOwner!), Agent: new RunningAgent(j.Id, j.Repo, JobActor.Deserialize(j.DataJson).Number, j.State.ToWire(), j.LeaseOwner!)))
            .ToLookup(a => a.Node, a => a.Agent, StringComparer.Ordinal);
        return [.. nodes.Select(n => new ClusterNode(
            n.NodeId, n.Silo, n.Status, n.Roles, n.Slots, n.RunningJobs, n.Stopping, n.Version, n.HeartbeatAt, n.Alive,
            [.. agents[n.NodeId].OrderBy(a => a.Slot, StringComparer.Ordinal)]))];
    }

    private static string NodeOf(string leaseOwner)
    {
        var slash = leaseOwner.LastIndexOf('/');
        return slash < 0 ? leaseOwner : leaseOwner[..slash];
    }
}
