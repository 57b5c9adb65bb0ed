using AgentMesh.Storage.OrleansSql;

namespace AgentMesh.Server.Hosting;

/// <summary>Applies Orleans' ADO.NET scripts that are missing before the silo starts (see <see cref="OrleansSchema"/>).</summary>
public sealed partial class OrleansSchemaInitializer(bool embedded, string target, ILogger<OrleansSchemaInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = embedded
            ? await OrleansSchema.ApplySqliteAsync(target, cancellationToken).ConfigureAwait(false)
            : await OrleansSchema.ApplyPostgresAsync(target, cancellationToken).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            LogApplied(logger, string.Join(", ", applied));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans schema: applied {Scripts}")]
    private static partial void LogApplied(ILogger logger, string scripts);
}
