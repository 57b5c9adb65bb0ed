using System.Text.Json;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>Node heartbeats on SQLite: an upsert that keeps the node's first start time.</summary>
internal sealed class SqliteNodeRegistry(SqliteDatabase database) : INodeRegistry
{
    public Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return database.WriteAsync(context => context.Command(SqliteSql.UpsertNode)
            .With("@id", heartbeat.NodeId)
            .With("@roles", JsonSerializer.Serialize(heartbeat.Roles))
            .With("@slots", heartbeat.Slots)
            .With("@running", heartbeat.RunningJobs)
            .With("@stopping", heartbeat.Stopping)
            .With("@version", heartbeat.Version)
            .With("@now", context.Now)
            .Execute(), cancellationToken);
    }

    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.ListNodes).ReadAll(Map), cancellationToken).ConfigureAwait(false);

    public Task<bool> RemoveAsync(string nodeId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context => context.Command(SqliteSql.DeleteNode).With("@id", nodeId).Execute() > 0, cancellationToken);

    private static NodeRecord Map(SqliteDataReader r) => new(
        r.GetString(0),
        JsonSerializer.Deserialize<string[]>(r.GetString(1)) ?? [],
        r.GetInt32(2),
        r.GetInt32(3),
        r.GetInt64(4) != 0,
        r.GetString(5),
        UnixMilliseconds.ToTime(r.GetInt64(6)),
        UnixMilliseconds.ToTime(r.GetInt64(7)));
}
