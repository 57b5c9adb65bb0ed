using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Storage;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Server.Hosting;

/// <summary>Builds the store the options name.</summary>
public static class AgentMeshStoreFactory
{
    public static IAgentMeshStore Create(StoreOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        if (options.Provider == "postgres")
        {
            return new PostgresStore(new PostgresStoreOptions { ConnectionString = options.ConnectionString! }, timeProvider, loggerFactory);
        }

        var path = options.SqliteDatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new SqliteStore(new SqliteStoreOptions { DatabasePath = path }, timeProvider, loggerFactory);
    }
}
