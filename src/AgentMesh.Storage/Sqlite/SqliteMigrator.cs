using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// Applies the embedded migrations in order. The check and the apply happen in one
/// <c>BEGIN IMMEDIATE</c> transaction: a second process starting at the same moment waits for the
/// write lock, then finds every version already recorded in <c>schema_migrations</c>.
/// </summary>
internal sealed partial class SqliteMigrator(SqliteDatabase database, ILogger logger)
{
    public static IReadOnlyList<SqliteMigration> Migrations { get; } = SqliteMigration.LoadEmbedded();

    public static int ExpectedVersion { get; } = Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        using (var connection = database.Open())
        {
            // WAL is a property of the file and persists; setting it again is a no-op. It cannot
            // change inside a transaction, so it goes first.
            using var wal = connection.Command("PRAGMA journal_mode = WAL;");
            var mode = Convert.ToString(wal.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode (journal_mode is '{mode}').");
            }
        }

        var applied = await database.WriteAsync(context =>
        {
            context.Command(SqliteSql.CreateMigrationsTable).Execute();
            var done = context.Command(SqliteSql.SelectAppliedVersions).ReadAll(r => r.GetInt32(0)).ToHashSet();
            var appliedNow = new List<SqliteMigration>();
            foreach (var migration in Migrations.Where(m => !done.Contains(m.Version)))
            {
                context.Command(migration.Sql).Execute();
                context.Command(SqliteSql.InsertMigration)
                    .With("@version", migration.Version)
                    .With("@name", migration.Name)
                    .With("@now", context.Now)
                    .Execute();
                appliedNow.Add(migration);
            }
            return appliedNow;
        }, cancellationToken).ConfigureAwait(false);

        foreach (var migration in applied)
        {
            LogApplied(logger, migration.Version, migration.Name);
        }
        LogUpToDate(logger, ExpectedVersion);
    }

    public static int ReadSchemaVersion(SqliteConnection connection)
    {
        if (connection.Command(SqliteSql.MigrationsTableExists).ScalarInt64() == 0)
        {
            return 0;
        }
        return (int)connection.Command(SqliteSql.SelectSchemaVersion).ScalarInt64();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied SQLite migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "SQLite schema is at version {Version}")]
    private static partial void LogUpToDate(ILogger logger, int version);
}
