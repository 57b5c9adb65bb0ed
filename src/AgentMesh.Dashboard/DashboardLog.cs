using Microsoft.Extensions.Logging;

namespace AgentMesh.Dashboard;

/// <summary>The dashboard's log messages.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates of {Page} stopped")]
    public static partial void LiveUpdatesStopped(ILogger logger, string page, Exception exception);

    /// <summary>
    /// Logs that a page's live updates stopped and returns what the page tells the person: the page stays as
    /// last seen and says so; the person reloads to start again.
    /// </summary>
    public static string LiveUpdatesStoppedNotice(ILogger logger, string page, Exception exception)
    {
        LiveUpdatesStopped(logger, page, exception);
        return $"Live updates stopped ({exception.Message}). Reload the page to resume.";
    }
}
