using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using Npgsql;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests;

/// <summary>The test fixture itself: a throwaway server (or the one from the environment) and fresh databases.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task Each_database_is_fresh_and_separate()
    {
        var first = await PostgresServer.Shared.CreateDatabaseAsync();
        var second = await PostgresServer.Shared.CreateDatabaseAsync();

        var firstName = new NpgsqlConnectionStringBuilder(first).Database;
        var secondName = new NpgsqlConnectionStringBuilder(second).Database;
        firstName.ShouldNotBe(secondName);

        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        reader.GetString(0).ShouldBe(firstName);
        reader.GetInt64(1).ShouldBe(0);
    }

    [Fact]
    public async Task The_server_comes_from_the_environment_variable_or_is_a_throwaway_on_loopback_with_durability_off()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable);
        PostgresServer.Shared.IsThrowaway.ShouldBe(string.IsNullOrWhiteSpace(fromEnvironment));
        await using var connection = new NpgsqlConnection(PostgresServer.Shared.AdminConnectionString);
        await connection.OpenAsync();
        if (!PostgresServer.Shared.IsThrowaway)
        {
            // A server named by AGENTMESH_TEST_POSTGRES is configured by whoever runs it: it only has to answer.
            PostgresServer.Shared.AdminConnectionString.ShouldBe(fromEnvironment);
            return;
        }
        (await ShowAsync(connection, "listen_addresses")).ShouldBe("127.0.0.1");
        (await ShowAsync(connection, "fsync")).ShouldBe("off");
        (await ShowAsync(connection, "synchronous_commit")).ShouldBe("off");
        (await ShowAsync(connection, "full_page_writes")).ShouldBe("off");
        (await ShowAsync(connection, "max_connections")).ShouldBe("200");
        (await ShowAsync(connection, "data_directory")).ShouldStartWith(Path.GetTempPath().TrimEnd('/') + "/agentmesh-pg-");
    }

    [Fact]
    public void Without_binaries_the_failure_says_how_to_install_PostgreSQL()
    {
        using var empty = new TempDirectory();

        var error = Should.Throw<InvalidOperationException>(() => PostgresServer.RequireBinaries(empty.Path));

        error.Message.ShouldBe(
            "PostgreSQL is not installed: run ./build.sh test (installs it), or apt-get install -y postgresql, " +
            "or set AGENTMESH_TEST_POSTGRES to a connection string.");
    }

    [Fact]
    public void The_newest_installed_version_with_both_initdb_and_postgres_is_chosen()
    {
        using var root = new TempDirectory();
        foreach (var (version, files) in new[] { ("13", new[] { "initdb", "postgres" }), ("15", ["initdb", "postgres"]), ("16", ["initdb"]), ("tmp", ["initdb", "postgres"]) })
        {
            Directory.CreateDirectory(root.Combine(version, "bin"));
            foreach (var file in files)
            {
                File.WriteAllText(root.Combine(version, "bin", file), string.Empty);
            }
        }

        PostgresServer.FindBinaries(root.Path).ShouldBe(root.Combine("15", "bin"));
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting)
    {
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
