using Microsoft.Extensions.Logging;

namespace AgentMesh.Storage.Postgres;

/// <summary>The PostgreSQL store's log messages.</summary>
internal static partial class PostgresStoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Change feed listening on channel {Channel} (backend {ProcessId})")]
    public static partial void Listening(ILogger logger, string channel, int processId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Change feed connection lost; reconnecting in {Delay}")]
    public static partial void ListenerLost(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Change feed reconnected; subscribers told to resync")]
    public static partial void ListenerReconnected(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Change feed subscriber fell behind; it gets a resync instead of the changes it missed")]
    public static partial void SubscriberOverflow(ILogger logger);
}
