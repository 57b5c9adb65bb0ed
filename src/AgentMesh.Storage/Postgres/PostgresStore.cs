using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentMesh.Storage.Postgres;

/// <summary>
/// The store on PostgreSQL, for a fleet of nodes sharing one database: claims with
/// <c>FOR UPDATE SKIP LOCKED</c>, fencing tokens on every worker write, <c>INSERT … ON CONFLICT</c> for
/// idempotency. See docs/storage.md.
/// </summary>
public sealed class PostgresStore : IAgentMeshStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresMigrator _migrator;

    public PostgresStore(PostgresStoreOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.EnsureValid();

        var logger = loggerFactory.CreateLogger<PostgresStore>();
        _dataSource = new NpgsqlDataSourceBuilder(PostgresConnectionStrings.Tune(options.ConnectionString)).UseLoggerFactory(loggerFactory).Build();
        var context = new PostgresStoreContext(_dataSource, timeProvider);
        _migrator = new PostgresMigrator(context, logger);
        Actors = new PostgresActorStore(context);
        Jobs = new PostgresJobStore(context);
        Logs = new PostgresJobLog(context);
        History = new PostgresJobHistory(context);
        Outbox = new PostgresOutbox(context);
        Usage = new PostgresUsageStore(context);
        DataProtectionKeys = new PostgresDataProtectionKeyStore(context);
        HeldWork = new PostgresHeldWorkStore(context);
    }

    public string ProviderName => "postgres";

    public IActorStore Actors { get; }

    public IJobStore Jobs { get; }

    public IJobLog Logs { get; }

    public IJobHistory History { get; }

    public IOutbox Outbox { get; }

    public IHeldWorkStore HeldWork { get; }

    public IUsageStore Usage { get; }

    public IDataProtectionKeyStore DataProtectionKeys { get; }

    public Task MigrateAsync(CancellationToken cancellationToken = default) => _migrator.MigrateAsync(cancellationToken);

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => _migrator.CheckHealthAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
