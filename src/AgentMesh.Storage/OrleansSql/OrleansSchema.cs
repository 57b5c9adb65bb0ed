using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentMesh.Storage.OrleansSql;

/// <summary>
/// Applies Orleans' ADO.NET scripts (embedded, see OrleansSql/README.md) before a silo starts. Orleans'
/// scripts are plain <c>CREATE</c>/<c>INSERT</c> batches that fail when run twice, so each one is
/// applied only when its probe says it is missing: the <c>OrleansQuery</c> table for the main
/// script, and for the others the first query key they insert. That also accepts a database an
/// operator prepared by hand. All of it runs in one transaction, on PostgreSQL under a transaction
/// advisory lock, so three silos starting at once apply each script exactly once.
/// </summary>
public static class OrleansSchema
{
    /// <summary>The ADO.NET invariant Orleans uses for PostgreSQL.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>The invariant Orleans maps to Microsoft.Data.Sqlite (since Orleans 10.1).</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    // Any constant distinct from the store's own migration lock key.
    private const long PostgresLockKey = 0x4f726c65616e73; // "Orleans"

    private static readonly (string Suffix, string? QueryKey)[] Probes =
    [
        ("-Main.sql", null),
        ("-Clustering.sql", "InsertMembershipKey"),
        ("-Persistence.sql", "WriteToStorageKey"),
        ("-Reminders.sql", "UpsertReminderRowKey"),
    ];

    /// <summary>Applies the PostgreSQL scripts (main, clustering, persistence, reminders) that are missing; returns their names.</summary>
    public static async Task<IReadOnlyList<string>> ApplyPostgresAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            take.Parameters.AddWithValue("key", PostgresLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var applied = await ApplyMissingAsync(
            connection,
            transaction,
            "PostgreSQL",
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'orleansquery'",
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }

    /// <summary>
    /// Applies the SQLite scripts (main, persistence, reminders) that are missing to the file at
    /// <paramref name="databasePath"/>, creating it; the file is switched to WAL so reads do not wait
    /// on writes. Returns the names applied.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ApplySqliteAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        await using var connection = new SqliteConnection(SqliteConnectionString(databasePath));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = new SqliteCommand("PRAGMA journal_mode = WAL;", connection))
        {
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var applied = await ApplyMissingAsync(
            connection,
            transaction,
            "Sqlite",
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'OrleansQuery'",
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }

    /// <summary>The connection string Orleans' providers get for the SQLite file.</summary>
    public static string SqliteConnectionString(string databasePath) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

    /// <summary>The embedded scripts of one backend folder, in the order they run.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts(string backend)
    {
        var assembly = typeof(OrleansSchema).Assembly;
        var marker = $".OrleansSql.{backend}.";
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.Contains(marker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[(n.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..], Read(assembly, n)))];
    }

    private static async Task<IReadOnlyList<string>> ApplyMissingAsync(
        DbConnection connection,
        DbTransaction transaction,
        string backend,
        string mainProbe,
        CancellationToken cancellationToken)
    {
        var applied = new List<string>();
        foreach (var (name, sql) in Scripts(backend))
        {
            var queryKey = Probes.First(p => name.EndsWith(p.Suffix, StringComparison.Ordinal)).QueryKey;
            var present = queryKey is null
                ? await CountAsync(connection, transaction, mainProbe, null, cancellationToken).ConfigureAwait(false) > 0
                : await CountAsync(connection, transaction, "SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey = @key", queryKey, cancellationToken).ConfigureAwait(false) > 0;
            if (present)
            {
                continue;
            }
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(name);
        }
        return applied;
    }

    private static async Task<long> CountAsync(DbConnection connection, DbTransaction transaction, string sql, string? key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (key is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "key";
            parameter.Value = key;
            command.Parameters.Add(parameter);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
