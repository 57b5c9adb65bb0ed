using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Postgres;

/// <summary>Cluster membership on PostgreSQL: one upserted row per node.</summary>
internal sealed class PostgresNodeRegistry(PostgresStoreContext context) : INodeRegistry
{
    public async Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        await using var command = context.Command(PostgresSql.Heartbeat)
            .With("node_id", heartbeat.NodeId)
            .With("roles", heartbeat.Roles.ToArray())
            .With("slots", heartbeat.Slots)
            .With("running_jobs", heartbeat.RunningJobs)
            .With("stopping", heartbeat.Stopping)
            .With("version", heartbeat.Version)
            .WithTime("now", context.Now());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.ListNodes);
        return await PostgresRows.ListAsync(
            command,
            r => new NodeRecord(
                r.GetString(0),
                r.GetFieldValue<string[]>(1),
                r.GetInt32(2),
                r.GetInt32(3),
                r.GetBoolean(4),
                r.GetString(5),
                PostgresRows.Time(r, 6),
                PostgresRows.Time(r, 7)),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.RemoveNode).With("node_id", nodeId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
