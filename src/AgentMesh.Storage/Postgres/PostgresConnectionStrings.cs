using System.Data.Common;
using Npgsql;

namespace AgentMesh.Storage.Postgres;

/// <summary>
/// What the node adds to the operator's PostgreSQL connection string, for our store and for Orleans' ADO.NET
/// providers alike. Whatever the operator set explicitly is kept.
/// </summary>
public static class PostgresConnectionStrings
{
    /// <summary>
    /// How many statements each connection keeps prepared (Npgsql's automatic preparation; its default is none).
    /// Every statement on the path from a webhook to its agent is the same few dozen texts, each parsed and planned
    /// by the server again on every call without it: on a fleet node sharing its cores with the server, preparing
    /// took the dispatch p50 from 32–38 ms to 25 ms (docs/performance.md, "Dispatch latency"). Above the number of
    /// distinct statements the store and Orleans run, so none is evicted in turn. Set <c>Max Auto Prepare=0</c> behind a
    /// pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    /// </summary>
    public const int AutoPreparedStatements = 128;

    /// <summary>
    /// The connection string with the application name (<c>agentmesh</c>) and automatic preparation, unless set. A
    /// missing one is returned as it is: the settings' validation names it (the silo is configured before that runs).
    /// </summary>
    public static string Tune(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString ?? "";
        }
        // A plain builder knows only the keys the operator wrote; Npgsql's reports a default for every key.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(tuned.ApplicationName))
        {
            tuned.ApplicationName = "agentmesh";
        }
        if (!written.ContainsKey("Max Auto Prepare") && !written.ContainsKey("MaxAutoPrepare"))
        {
            tuned.MaxAutoPrepare = AutoPreparedStatements;
        }
        return tuned.ConnectionString;
    }
}
