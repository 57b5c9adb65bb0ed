using Microsoft.Extensions.Logging;

namespace AgentMesh.GitHub.Rest.Http;

/// <summary>
/// GitHub's primary rate limit, which neither Octokit nor Polly handles: every answer's
/// <c>x-ratelimit-*</c> headers update the identity's <see cref="GitHubRateLimitTracker"/>, and once the
/// window is known to be spent, the next request is held until the reset instead of being refused.
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
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        tracker.Observe(response.Headers);
        return response;
    }
}
