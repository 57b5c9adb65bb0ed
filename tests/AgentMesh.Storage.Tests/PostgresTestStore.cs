using AgentMesh.Storage.Postgres;
using AgentMesh.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Storage.Tests;

/// <summary>Creates PostgreSQL stores on fresh databases of the test server.</summary>
internal static class PostgresTestStore
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PostgresStore, string> ConnectionStrings = [];

    /// <summary>A migrated store on a new, empty database.</summary>
    public static async Task<PostgresStore> CreateAsync(TimeProvider clock, Action<PostgresStoreOptions>? configure = null)
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        var store = Open(connectionString, clock, configure);
        await store.MigrateAsync();
        return store;
    }

    /// <summary>A store on an existing database (e.g. a second node on the same database), not migrated.</summary>
    public static PostgresStore Open(string connectionString, TimeProvider clock, Action<PostgresStoreOptions>? configure = null)
    {
        var options = new PostgresStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        var store = new PostgresStore(options, clock, NullLoggerFactory.Instance);
        ConnectionStrings.AddOrUpdate(store, connectionString);
        return store;
    }

    /// <summary>The connection string a test store was opened with (to open a second node on its database).</summary>
    public static string ConnectionStringOf(PostgresStore store) =>
        ConnectionStrings.TryGetValue(store, out var connectionString)
            ? connectionString
            : throw new InvalidOperationException("The store was not created by PostgresTestStore.");
}
