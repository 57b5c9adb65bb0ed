using AgentMesh.Storage;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// Applies the store's migrations before any other hosted service starts, so nothing reads or
/// writes a schema older than this build. Registered first; hosted services start in order.
/// </summary>
public sealed partial class StoreInitializer(IAgentMeshStore store, IOptions<StoreOptions> options, ILogger<StoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var health = await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        LogStoreReady(logger, options.Value.Describe(), health.SchemaVersion);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Store ready: {Where}, schema version {Version}")]
    private static partial void LogStoreReady(ILogger logger, string where, int version);
}
