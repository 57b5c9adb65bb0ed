namespace AgentMesh.Dashboard.Cluster;

/// <summary>The cluster's nodes as the admin API's <c>/api/nodes</c> shows them, with the agents each runs. Implemented by the node.</summary>
public interface IClusterView
{
    Task<IReadOnlyList<ClusterNode>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A silo: its membership status, roles and slots, and the agents it runs now.</summary>
/// <param name="Status">Orleans' membership status: active, joining, shuttingdown, stopping, dead.</param>
/// <param name="RunningJobs">Agents running, from the node's last heartbeat.</param>
/// <param name="Agents">The jobs whose lease the node's slots hold.</param>
public sealed record ClusterNode(
    string NodeId,
    string Silo,
    string Status,
    IReadOnlyList<string> Roles,
    int Slots,
    int RunningJobs,
    bool Stopping,
    string Version,
    DateTimeOffset? HeartbeatAt,
    bool Alive,
    IReadOnlyList<RunningAgent> Agents)
{
    public int SlotsFree => Math.Max(0, Slots - RunningJobs);
}

/// <param name="Slot">The worker slot holding the lease (<c>node/slot</c>).</param>
public sealed record RunningAgent(string JobId, string Repo, int Number, string State, string Slot);
