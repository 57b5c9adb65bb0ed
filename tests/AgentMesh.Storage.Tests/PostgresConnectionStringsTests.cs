using AgentMesh.Storage.Postgres;
using AgentMesh.Testing.Postgres;
using Npgsql;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests;

/// <summary>What the node adds to the operator's PostgreSQL connection string, and that it takes effect on a real server.</summary>
public sealed class PostgresConnectionStringsTests
{
    private const string Operators = "Host=db.internal;Port=5432;Database=agentmesh;Username=agentmesh;Password=s3cret";

    [Fact]
    public void An_operators_string_gets_the_application_name_and_prepared_statements()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.Tune(Operators));

        tuned.ApplicationName.ShouldBe("agentmesh");
        tuned.MaxAutoPrepare.ShouldBe(PostgresConnectionStrings.AutoPreparedStatements);
        (tuned.Host, tuned.Database, tuned.Username, tuned.Password).ShouldBe(("db.internal", "agentmesh", "agentmesh", "s3cret"));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("  ", "  ")]
    public void A_missing_string_is_left_for_the_settings_validation_to_name(string? missing, string returned) =>
        PostgresConnectionStrings.Tune(missing).ShouldBe(returned);

    [Theory]
    [InlineData("Max Auto Prepare=0", 0)]
    [InlineData("MaxAutoPrepare=16", 16)]
    public void What_the_operator_set_is_kept(string setting, int maxAutoPrepare)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.Tune($"{Operators};Application Name=fleet-a;{setting}"));

        tuned.MaxAutoPrepare.ShouldBe(maxAutoPrepare);
        tuned.ApplicationName.ShouldBe("fleet-a");
    }

    [Fact]
    public async Task A_statement_run_again_and_again_on_a_tuned_connection_is_prepared_by_the_server()
    {
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(PostgresConnectionStrings.Tune(database));
        await connection.OpenAsync();
        for (var i = 0; i < 6; i++)
        {
            await using var repeated = new NpgsqlCommand("SELECT $1::int + 1", connection) { Parameters = { new() { Value = i } } };
            await repeated.ExecuteScalarAsync();
        }

        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'", connection);
        ((long)(await prepared.ExecuteScalarAsync())!).ShouldBe(1L, "Npgsql prepares a statement on its fifth use when Max Auto Prepare is set");
    }
}
