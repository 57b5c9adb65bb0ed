using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using AgentMesh.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>The store suite on a real PostgreSQL database (a fresh one per test).</summary>
public sealed class PostgresWebhookEndpointStoreTests : WebhookEndpointStoreTests
{
    private string? _connectionString;

    protected override async Task<IAgentMeshStore> OpenStoreAsync()
    {
        _connectionString ??= await PostgresServer.Shared.CreateDatabaseAsync();
        return new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString }, TimeProvider.System, NullLoggerFactory.Instance);
    }

    protected override async Task<long> CountInboxRowsAsync(string deliveryId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM webhook_inbox WHERE delivery_id = @id", connection);
        count.Parameters.AddWithValue("id", deliveryId);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
