using Microsoft.Extensions.Logging;

namespace AgentMesh.GitHub.Rest.Http;

/// <summary>
/// GitHub's primary rate limit, which neither Octokit nor Polly handles: once the identity's window is
/// known to be spent (<see cref="GitHubRateLimitTracker"/>), the next request is held until the reset
/// instead of being sent to be refused. It sits outside the Polly pipeline, so the hold (up to an hour)
/// takes no concurrency slot and is not cut short by the per-attempt timeout.
/// </summary>
internal sealed class PrimaryRateLimitHandler(GitHubRateLimitTracker tracker, string identity, TimeProvider timeProvider, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var wait = tracker.WaitBeforeNextRequest();
        if (wait > TimeSpan.Zero)
        {
            GitHubClientLog.WaitingForReset(logger, identity, wait, tracker.Current!.ResetAt);
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
