using System.Net;
using Microsoft.Extensions.Logging;

namespace AgentMesh.GitHub.Rest;

/// <summary>The REST client's log lines. Paths are logged; tokens and Authorization headers never are.</summary>
internal static partial class GitHubClientLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "GitHub {Method} {Path} answered {StatusCode}; retry {Attempt} in {Delay}")]
    public static partial void RetryingStatus(ILogger logger, string method, string path, HttpStatusCode statusCode, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "GitHub {Method} {Path} failed ({Reason}); retry {Attempt} in {Delay}")]
    public static partial void RetryingFailure(ILogger logger, string method, string path, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "GitHub rate limit for {Identity} is exhausted; holding requests {Delay} until {ResetAt}")]
    public static partial void WaitingForReset(ILogger logger, string identity, TimeSpan delay, DateTimeOffset resetAt);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Created an installation token for installation {InstallationId}, expiring {ExpiresAt}")]
    public static partial void InstallationTokenCreated(ILogger logger, long installationId, DateTimeOffset expiresAt);
}
