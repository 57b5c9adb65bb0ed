namespace AgentMesh.Server.Api.Nodes;

/// <summary>A node (silo) of the cluster, as Orleans membership sees it.</summary>
/// <param name="NodeId">The node's id (its silo name).</param>
/// <param name="Silo">The silo's address in the cluster (<c>ip:port@generation</c>).</param>
/// <param name="Status">Orleans' membership status: <c>active</c>, <c>joining</c>, <c>shuttingdown</c>, <c>stopping</c>, <c>dead</c>.</param>
/// <param name="Roles">Its roles, from its silo metadata.</param>
/// <param name="Slots">How many agents it runs at once (worker role).</param>
/// <param name="RunningJobs">Agents it runs now: the agent-worker grains active on its silo.</param>
/// <param name="Stopping">It is shutting down (handing its running work back).</param>
/// <param name="Version">The AgentMesh version it runs, from its silo metadata.</param>
/// <param name="StartedAt">When the silo started, from Orleans' membership table.</param>
/// <param name="HeartbeatAt">The silo's last "I am alive" in Orleans' membership table.</param>
/// <param name="Alive">Membership counts it as a live member (not dead).</param>
public sealed record NodeView(
    string NodeId,
    string Silo,
    string Status,
    IReadOnlyList<string> Roles,
    int Slots,
    int RunningJobs,
    bool Stopping,
    string Version,
    DateTimeOffset? StartedAt,
    DateTimeOffset? HeartbeatAt,
    bool Alive);
