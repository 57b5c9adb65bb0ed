using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Storage.Tests.Sqlite;

/// <summary>Creates migrated SQLite stores on real files for tests.</summary>
internal static class SqliteTestStores
{
    public static SqliteStore Open(string databasePath, TimeProvider clock) =>
        new(new SqliteStoreOptions { DatabasePath = databasePath }, clock, NullLoggerFactory.Instance);

    public static async Task<IAgentMeshStore> CreateAsync(TempDirectory directory, TimeProvider clock, string fileName = "agentmesh.db")
    {
        var store = Open(directory.Combine(fileName), clock);
        await store.MigrateAsync();
        return store;
    }
}
