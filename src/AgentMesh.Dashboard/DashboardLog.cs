using Microsoft.Extensions.Logging;

namespace AgentMesh.Dashboard;

/// <summary>The dashboard's log messages.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates of {Page} stopped")]
    public static partial void LiveUpdatesStopped(ILogger logger, string page, Exception exception);
}
