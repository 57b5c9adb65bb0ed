using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Bench.Store;

/// <summary>The two store backends, each on a fresh database: a temp SQLite file, or a new database on the test PostgreSQL.</summary>
internal enum Backend
{
    Sqlite,
    Postgres,
}

/// <summary>A migrated store on a fresh database, and the temp folder to remove afterwards (SQLite).</summary>
internal sealed class BenchStore(IAgentMeshStore store, string connectionString, TempDirectory? folder) : IAsyncDisposable
{
    public IAgentMeshStore Store { get; } = store;

    /// <summary>PostgreSQL connection string (to open a second store on the same database); the file path on SQLite.</summary>
    public string ConnectionString { get; } = connectionString;

    public static async Task<BenchStore> CreateAsync(Backend backend)
    {
        if (backend == Backend.Sqlite)
        {
            var folder = new TempDirectory("agentmesh-bench");
            var path = folder.Combine("store.db");
            var sqlite = new SqliteStore(new SqliteStoreOptions { DatabasePath = path }, TimeProvider.System, NullLoggerFactory.Instance);
            await sqlite.MigrateAsync();
            return new BenchStore(sqlite, path, folder);
        }
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        var postgres = OpenPostgres(connectionString);
        await postgres.MigrateAsync();
        return new BenchStore(postgres, connectionString, null);
    }

    /// <summary>
    /// Refreshes the planner's statistics after the jobs were enqueued, as autovacuum (PostgreSQL) would in
    /// steady state; without them PostgreSQL's planner thinks the fresh table is tiny and sorts every
    /// candidate on each claim instead of walking the claim index.
    /// </summary>
    public async Task AnalyzeAsync()
    {
        if (Store is PostgresStore)
        {
            await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var analyze = new Npgsql.NpgsqlCommand("ANALYZE jobs", connection);
            await analyze.ExecuteNonQueryAsync();
            return;
        }
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={ConnectionString}");
        await sqlite.OpenAsync();
        await using var command = sqlite.CreateCommand();
        command.CommandText = "ANALYZE";
        await command.ExecuteNonQueryAsync();
    }

    public static PostgresStore OpenPostgres(string connectionString) =>
        new(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System, NullLoggerFactory.Instance);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        folder?.Dispose();
    }
}
