using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Storage;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Server.Hosting;

/// <summary>Builds the store the options name.</summary>
public static class AgentMeshStoreFactory
{
    /// <param name="sqliteFullSync">
    /// The embedded file's commits wait for an fsync (<c>Silo:SqliteFullSync</c>, which the silo's <c>orleans.db</c>
    /// follows too): the two files of one node are equally durable, so a power cut cannot keep a delivery's
    /// state in one and lose the job it made in the other more easily than the reverse. Default false, as the
    /// setting's.
    /// </param>
    public static IAgentMeshStore Create(StoreOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, bool sqliteFullSync = false)
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
        return new SqliteStore(new SqliteStoreOptions { DatabasePath = path, FullSync = sqliteFullSync }, timeProvider, loggerFactory);
    }
}
