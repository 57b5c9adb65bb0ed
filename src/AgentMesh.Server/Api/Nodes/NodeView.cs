namespace AgentMesh.Server.Api.Nodes;

/// <summary>A node of the cluster as its heartbeats describe it.</summary>
/// <param name="Alive">Its last heartbeat is within three heartbeat intervals of now.</param>
public sealed record NodeView(
    string NodeId,
    IReadOnlyList<string> Roles,
    int Slots,
    int RunningJobs,
    bool Stopping,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    bool Alive);
