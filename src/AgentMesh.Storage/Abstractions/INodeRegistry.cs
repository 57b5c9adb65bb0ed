namespace AgentMesh.Storage.Abstractions;

/// <summary>Cluster membership: each node upserts a heartbeat; others read who is alive.</summary>
public interface INodeRegistry
{
    /// <summary>Creates or refreshes the node's row; heartbeat time is the store's clock now.</summary>
    Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken = default);

    Task<bool> RemoveAsync(string nodeId, CancellationToken cancellationToken = default);
}

/// <param name="Roles">e.g. <c>["web","worker"]</c>.</param>
/// <param name="RunningJobs">How many agent processes the node runs now.</param>
/// <param name="Stopping">The node is shutting down and claims no more work.</param>
public sealed record NodeHeartbeat(string NodeId, IReadOnlyList<string> Roles, int Slots, int RunningJobs, bool Stopping, string Version);

public sealed record NodeRecord(
    string NodeId,
    IReadOnlyList<string> Roles,
    int Slots,
    int RunningJobs,
    bool Stopping,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt);
