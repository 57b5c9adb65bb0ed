using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.OrleansSql;

/// <summary>
/// The <see cref="DbDataSource"/> Orleans' ADO.NET providers get for the embedded SQLite file.
/// Microsoft.Data.Sqlite has no data source of its own, and its connection string cannot set
/// pragmas; this one sets them on every connection it opens. What it adds:
/// <c>synchronous = NORMAL</c> (with the file in WAL mode, a commit is durable once it is in the
/// write-ahead log: it survives the process being killed, and only an operating-system crash or
/// power cut can lose the last commits before a checkpoint), because with <c>FULL</c> every grain
/// write waits for an fsync and one node cannot acknowledge 200 webhooks a second; and
/// <c>busy_timeout</c>, so a write that finds the file locked by another grain's write waits in
/// SQLite's own busy handler (millisecond steps) instead of failing into the provider's much coarser
/// retry: that took the webhook acknowledgement's p99 at 200/s from ~590 ms to ~8 ms (docs/performance.md).
/// </summary>
public sealed class SqliteDataSource(string connectionString, bool fullSync) : DbDataSource
{
    public override string ConnectionString { get; } = connectionString;

    protected override DbConnection CreateDbConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == System.Data.ConnectionState.Open)
            {
                using var pragma = connection.CreateCommand();
                pragma.CommandText = (fullSync ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;") + " PRAGMA busy_timeout = 10000;";
                pragma.ExecuteNonQuery();
            }
        };
        return connection;
    }
}
