using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>The store suite on a real SQLite file.</summary>
public sealed class SqliteWebhookEndpointStoreTests : WebhookEndpointStoreTests
{
    private readonly TempDirectory _directory = new("agentmesh-webhook-sqlite");

    private string DatabasePath => _directory.Combine("agentmesh.db");

    protected override Task<IAgentMeshStore> OpenStoreAsync() =>
        Task.FromResult<IAgentMeshStore>(new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath }, TimeProvider.System, NullLoggerFactory.Instance));

    protected override async Task<long> CountInboxRowsAsync(string deliveryId)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM webhook_inbox WHERE delivery_id = $id";
        count.Parameters.AddWithValue("$id", deliveryId);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}
