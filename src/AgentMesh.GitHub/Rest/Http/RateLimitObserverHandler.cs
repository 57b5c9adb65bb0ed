namespace AgentMesh.GitHub.Rest.Http;

/// <summary>
/// Records the <c>x-ratelimit-*</c> headers of every answer, retried ones included, in the identity's
/// <see cref="GitHubRateLimitTracker"/> (<c>client.RateLimit</c>). Octokit keeps only the last answer's
/// <c>ApiInfo</c> per connection, and nothing that a scheduler or the hold before sending could read.
/// </summary>
internal sealed class RateLimitObserverHandler(GitHubRateLimitTracker tracker) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        tracker.Observe(response.Headers);
        return response;
    }
}
