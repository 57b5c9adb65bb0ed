namespace AgentMesh.Core.Nodes;

/// <summary>One <c>agentmesh serve</c> process as the nodes table records it.</summary>
/// <param name="Id">Stable node id (from silo-config, or generated at first start).</param>
/// <param name="Roles">Web, worker, or both.</param>
/// <param name="SlotCount">Worker slots, i.e. agents it runs at once (0 for a web-only node).</param>
/// <param name="StartedAt">When the process started.</param>
/// <param name="HeartbeatAt">Its last heartbeat.</param>
/// <param name="Stopping">True once it began a graceful shutdown: it finishes running jobs but claims no new ones.</param>
public sealed record ClusterNode(string Id, NodeRoles Roles, int SlotCount, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, bool Stopping)
{
    /// <summary>The node with a fresh heartbeat.</summary>
    public ClusterNode Beat(DateTimeOffset now) => now < HeartbeatAt ? this : this with { HeartbeatAt = now };

    /// <summary>
    /// True when the last heartbeat is older than <paramref name="lostAfter"/>: its leases may be rescued.
    /// Exactly at the limit the node still counts as alive.
    /// </summary>
    public bool IsLost(DateTimeOffset now, TimeSpan lostAfter) => now - HeartbeatAt > lostAfter;

    /// <summary>True when the node may claim new jobs: a worker, not stopping, not lost.</summary>
    public bool CanClaim(DateTimeOffset now, TimeSpan lostAfter) =>
        Roles.HasFlag(NodeRoles.Worker) && SlotCount > 0 && !Stopping && !IsLost(now, lostAfter);
}
