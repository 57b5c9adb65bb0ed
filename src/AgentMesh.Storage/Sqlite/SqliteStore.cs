using AgentMesh.Storage.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, one writer at a time. Every guarantee of the
/// contract rests on that single writer (an in-process gate plus <c>BEGIN IMMEDIATE</c>), on
/// compare-and-set updates with versions and fences, and on unique keys with <c>ON CONFLICT</c>.
/// Times are stored as INTEGER unix milliseconds and read from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class SqliteStore : IAgentMeshStore
{
    private readonly SqliteDatabase _database;
    private readonly SqliteMigrator _migrator;

    public SqliteStore(SqliteStoreOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.EnsureValid();

        _database = new SqliteDatabase(options, timeProvider);
        _migrator = new SqliteMigrator(_database, loggerFactory.CreateLogger<SqliteStore>());
        Actors = new SqliteActorStore(_database);
        Jobs = new SqliteJobStore(_database, timeProvider);
        Logs = new SqliteJobLog(_database);
        History = new SqliteJobHistory(_database);
        Outbox = new SqliteOutbox(_database);
        Usage = new SqliteUsageStore(_database);
        DataProtectionKeys = new SqliteDataProtectionKeyStore(_database);
        HeldWork = new SqliteHeldWorkStore(_database);
    }

    public string ProviderName => "sqlite";

    public IActorStore Actors { get; }

    public IJobStore Jobs { get; }

    public IJobLog Logs { get; }

    public IJobHistory History { get; }

    public IOutbox Outbox { get; }

    public IHeldWorkStore HeldWork { get; }

    public IUsageStore Usage { get; }

    public IDataProtectionKeyStore DataProtectionKeys { get; }

    /// <summary>The highest migration this build carries.</summary>
    public static int ExpectedSchemaVersion => SqliteMigrator.ExpectedVersion;

    public Task MigrateAsync(CancellationToken cancellationToken = default) => _migrator.MigrateAsync(cancellationToken);

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await _database.ReadAsync(SqliteMigrator.ReadSchemaVersion, cancellationToken).ConfigureAwait(false);
            return new StoreHealth(true, version, SqliteMigrator.ExpectedVersion, null);
        }
        catch (SqliteException exception)
        {
            return new StoreHealth(false, 0, SqliteMigrator.ExpectedVersion, exception.Message);
        }
    }

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }
}
