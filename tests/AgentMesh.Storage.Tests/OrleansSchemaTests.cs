using AgentMesh.Storage.OrleansSql;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests;

/// <summary>Orleans' ADO.NET scripts: applied once, whoever starts first, and never twice.</summary>
public sealed class OrleansSchemaTests
{
    [Fact]
    public async Task Three_silos_starting_at_once_on_one_postgres_apply_each_script_exactly_once()
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => OrleansSchema.ApplyPostgresAsync(connectionString))));

        runs.SelectMany(r => r).Order(StringComparer.Ordinal).ShouldBe(
            ["01-PostgreSQL-Main.sql", "02-PostgreSQL-Clustering.sql", "03-PostgreSQL-Persistence.sql", "04-PostgreSQL-Reminders.sql"]);
        (await OrleansSchema.ApplyPostgresAsync(connectionString)).ShouldBeEmpty("a restart finds every script applied");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey IN ('InsertMembershipKey', 'WriteToStorageKey', 'UpsertReminderRowKey')", connection);
        Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(3);
    }

    [Fact]
    public async Task The_sqlite_schema_has_storage_and_our_reminders_table_and_is_applied_once()
    {
        using var directory = new TempDirectory("orleans-schema");
        var path = directory.Combine("orleans.db");

        (await OrleansSchema.ApplySqliteAsync(path)).ShouldBe(["01-Sqlite-Main.sql", "03-Sqlite-Persistence.sql", "04-Sqlite-Reminders.sql"]);
        (await OrleansSchema.ApplySqliteAsync(path)).ShouldBeEmpty();

        await using var connection = new SqliteConnection(OrleansSchema.SqliteConnectionString(path));
        await connection.OpenAsync();
        await using var tables = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'Orleans%' ORDER BY name", connection);
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }
        names.ShouldBe(["OrleansQuery", "OrleansRemindersTable", "OrleansStorage"]);
    }

    [Fact]
    public async Task The_sqlite_reminder_queries_upsert_with_a_growing_version_and_delete_by_version()
    {
        using var directory = new TempDirectory("orleans-schema");
        var path = directory.Combine("orleans.db");
        await OrleansSchema.ApplySqliteAsync(path);
        await using var connection = new SqliteConnection(OrleansSchema.SqliteConnectionString(path));
        await connection.OpenAsync();

        async Task<string> QueryAsync(string key)
        {
            await using var read = new SqliteCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key", connection);
            read.Parameters.AddWithValue("@key", key);
            return (string)(await read.ExecuteScalarAsync())!;
        }

        async Task<long> UpsertAsync()
        {
            await using var upsert = new SqliteCommand(await QueryAsync("UpsertReminderRowKey"), connection);
            upsert.Parameters.AddWithValue("@ServiceId", "svc");
            upsert.Parameters.AddWithValue("@GrainId", "delivery/d-1");
            upsert.Parameters.AddWithValue("@ReminderName", "finish-delivery");
            upsert.Parameters.AddWithValue("@StartTime", DateTime.UtcNow);
            upsert.Parameters.AddWithValue("@Period", 60_000L);
            upsert.Parameters.AddWithValue("@GrainHash", 42);
            return (long)(await upsert.ExecuteScalarAsync())!;
        }

        async Task<long> DeleteAsync(long version)
        {
            await using var delete = new SqliteCommand(await QueryAsync("DeleteReminderRowKey"), connection);
            delete.Parameters.AddWithValue("@ServiceId", "svc");
            delete.Parameters.AddWithValue("@GrainId", "delivery/d-1");
            delete.Parameters.AddWithValue("@ReminderName", "finish-delivery");
            delete.Parameters.AddWithValue("@Version", version);
            return (long)(await delete.ExecuteScalarAsync())!;
        }

        (await UpsertAsync()).ShouldBe(0);
        (await UpsertAsync()).ShouldBe(1, "an update bumps the version Orleans uses as the reminder's etag");
        (await DeleteAsync(0)).ShouldBe(0, "a stale etag deletes nothing");
        (await DeleteAsync(1)).ShouldBe(1);
    }
}
