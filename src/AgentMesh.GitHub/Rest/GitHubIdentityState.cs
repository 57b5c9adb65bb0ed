namespace AgentMesh.GitHub.Rest;

/// <summary>What all requests made as one identity share: the concurrency cap and the rate-limit state.</summary>
internal sealed class GitHubIdentityState(int maxConcurrentRequests, TimeProvider timeProvider)
{
    public SemaphoreSlim Gate { get; } = new(maxConcurrentRequests, maxConcurrentRequests);

    public GitHubRateLimitTracker RateLimit { get; } = new(timeProvider);
}
