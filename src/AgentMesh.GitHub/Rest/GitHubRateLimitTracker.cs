using System.Globalization;
using System.Net.Http.Headers;

namespace AgentMesh.GitHub.Rest;

/// <summary>Keeps the primary rate-limit state of one identity up to date from response headers.</summary>
public sealed class GitHubRateLimitTracker(TimeProvider timeProvider) : IGitHubRateLimitState
{
    private GitHubRateLimitSnapshot? _current;

    public GitHubRateLimitSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>Records the headers of an answer; answers without them (or for another resource) change nothing.</summary>
    public void Observe(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        // Search and GraphQL have their own budgets; mixing them in would make "core" look exhausted.
        if (TryGet(headers, "x-ratelimit-resource") is { } resource && resource != "core")
        {
            return;
        }
        if (TryGetLong(headers, "x-ratelimit-remaining") is { } remaining
            && TryGetLong(headers, "x-ratelimit-reset") is { } reset
            && TryGetLong(headers, "x-ratelimit-limit") is { } limit)
        {
            Volatile.Write(ref _current, new GitHubRateLimitSnapshot(
                (int)limit, (int)remaining, DateTimeOffset.FromUnixTimeSeconds(reset), timeProvider.GetUtcNow()));
        }
    }

    /// <summary>How long to hold the next request: until the reset when nothing remains, else zero.</summary>
    public TimeSpan WaitBeforeNextRequest()
    {
        if (Current is { Remaining: <= 0 } snapshot)
        {
            var wait = snapshot.ResetAt - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return TimeSpan.Zero;
    }

    internal static string? TryGet(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    internal static long? TryGetLong(HttpResponseHeaders headers, string name) =>
        long.TryParse(TryGet(headers, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
