namespace AgentMesh.GitHub.Rest;

/// <summary>Primary rate limit from the <c>x-ratelimit-*</c> headers of one answer.</summary>
/// <param name="Limit">Requests allowed per window.</param>
/// <param name="Remaining">Requests left in the window.</param>
/// <param name="ResetAt">When the window resets.</param>
/// <param name="ObservedAt">When the answer carrying these headers arrived.</param>
public sealed record GitHubRateLimitSnapshot(int Limit, int Remaining, DateTimeOffset ResetAt, DateTimeOffset ObservedAt);
