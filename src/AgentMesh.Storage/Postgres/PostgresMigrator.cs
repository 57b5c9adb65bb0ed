using System.Globalization;
using System.Reflection;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentMesh.Storage.Postgres;

/// <summary>
/// Applies the embedded, numbered migrations (<c>Postgres/Migrations/NNNN_name.sql</c>) in order. All of it
/// runs on one connection holding a session-level <c>pg_advisory_lock</c>, so when several nodes start at
/// once one applies and the others wait, then find nothing left to do. Each migration commits with its
/// row in <c>schema_migrations</c>.
/// </summary>
internal sealed class PostgresMigrator(PostgresStoreContext context, ILogger logger)
{
    private const string ResourceMarker = ".Postgres.Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> Embedded = new(LoadEmbedded);

    /// <summary>The highest migration this build carries.</summary>
    public static int LatestVersion => Embedded.Value[^1].Version;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = PostgresStoreContext.Command(connection, PostgresSql.TakeMigrationLock).With("key", PostgresSql.MigrationLockKey))
        {
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await using (var create = PostgresStoreContext.Command(connection, PostgresSql.CreateMigrationsTable))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            HashSet<int> applied;
            await using (var read = PostgresStoreContext.Command(connection, PostgresSql.AppliedMigrations))
            {
                applied = [.. await PostgresRows.ListAsync(read, r => r.GetInt32(0), cancellationToken).ConfigureAwait(false)];
            }
            foreach (var migration in Embedded.Value.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var script = PostgresStoreContext.Command(connection, migration.Sql, transaction))
                {
                    await script.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await using (var record = PostgresStoreContext.Command(connection, PostgresSql.RecordMigration, transaction))
                {
                    await record.With("version", migration.Version).With("name", migration.Name).WithTime("now", context.Now())
                        .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                PostgresStoreLog.MigrationApplied(logger, migration.Version, migration.Name);
            }
        }
        finally
        {
            // Released explicitly because the pooled connection outlives this call; a dropped connection
            // releases it too.
            await using var release = PostgresStoreContext.Command(connection, PostgresSql.ReleaseMigrationLock).With("key", PostgresSql.MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await context.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var exists = PostgresStoreContext.Command(connection, PostgresSql.MigrationsTableExists);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return new StoreHealth(true, 0, LatestVersion, null);
            }
            await using var version = PostgresStoreContext.Command(connection, PostgresSql.SchemaVersion);
            var schemaVersion = (int)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new StoreHealth(true, schemaVersion, LatestVersion, null);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new StoreHealth(false, 0, LatestVersion, ex.Message);
        }
    }

    private static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(ResourceMarker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n))
            .OrderBy(m => m.Version)
            .ToList();
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException("No PostgreSQL migrations are embedded in AgentMesh.Storage.");
        }
        // Gaps are allowed, as on SQLite: branches number their migrations apart (0002, 0003) and may
        // land in either order; each is applied by its number, not by its position.
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two embedded PostgreSQL migrations have version {duplicate.Key}.");
        }
        return migrations;
    }

    private static Migration Load(Assembly assembly, string resource)
    {
        // e.g. AgentMesh.Storage.Postgres.Migrations.0001_initial.sql
        var file = resource[(resource.IndexOf(ResourceMarker, StringComparison.Ordinal) + ResourceMarker.Length)..^".sql".Length];
        var underscore = file.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration resource {resource} is not named NNNN_name.sql.");
        }
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, file[(underscore + 1)..], reader.ReadToEnd());
    }

    private sealed record Migration(int Version, string Name, string Sql);
}
