using Microsoft.Extensions.Logging;

namespace AgentMesh.Storage.Postgres;

/// <summary>The PostgreSQL store's log messages.</summary>
internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);
}
