using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace AgentMesh.GitHub.Rest.Http;

/// <summary>
/// The Polly pipeline under Octokit for one identity, run by Microsoft.Extensions.Http.Resilience's
/// <see cref="ResilienceHandler"/>: a concurrency cap (Polly's limiter, queueing rather than refusing),
/// retries with jittered exponential backoff, and a timeout per attempt. What Polly's HTTP defaults do
/// not know, and this adds: a POST is not repeated after a 5xx or a timeout (GitHub may have acted), a
/// 403 is a rate limit only when GitHub says so, and a rate limit waits as long as GitHub asks —
/// <c>retry-after</c>, else the primary window's reset, else at least 60 s doubling each time.
/// </summary>
internal static class GitHubResiliencePipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Build(GitHubClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        builder.AddConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentRequestsPerToken,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromHours(1),
                ShouldRetryAfterHeader = false,
                ShouldHandle = ShouldRetryAsync,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RateLimitDelay(response, args.AttemptNumber, options, timeProvider) : null),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var method = request?.Method.Method ?? "?";
                    var path = request?.RequestUri?.AbsolutePath ?? "?";
                    if (args.Outcome.Result is { } response)
                    {
                        GitHubClientLog.RetryingStatus(logger, method, path, response.StatusCode, args.AttemptNumber + 1, args.RetryDelay);
                    }
                    else
                    {
                        GitHubClientLog.RetryingFailure(logger, method, path, args.Outcome.Exception?.GetType().Name ?? "unknown", args.AttemptNumber + 1, args.RetryDelay);
                    }
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    private static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var request = args.Context.GetRequestMessage();
        var safeToRepeat = request is not null && IsSafeToRepeat(request);
        if (args.Outcome.Exception is HttpRequestException or TimeoutRejectedException)
        {
            return safeToRepeat;
        }
        if (args.Outcome.Result is not { } response)
        {
            return false;
        }
        if ((int)response.StatusCode is 500 or 502 or 503 or 504)
        {
            return safeToRepeat;
        }
        // A rate-limited request was refused before GitHub acted on it, so even a POST may be repeated.
        return await IsRateLimitedAsync(response, args.Context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a 5xx or a timeout may be answered by sending the request again. Not for a POST, where GitHub
    /// may have acted before failing (a second comment), except the POSTs that have no lasting effect or
    /// repeat harmlessly: creating an installation token, adding labels.
    /// </summary>
    private static bool IsSafeToRepeat(HttpRequestMessage request) =>
        request.Method != HttpMethod.Post
        || request.RequestUri?.AbsolutePath is { } path
            && (path.EndsWith("/access_tokens", StringComparison.Ordinal) || path.EndsWith("/labels", StringComparison.Ordinal));

    /// <summary>
    /// 429 is always a rate limit; 403 is one only when GitHub says so (headers or message), otherwise
    /// it is a permission answer that retrying cannot change.
    /// </summary>
    private static async ValueTask<bool> IsRateLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return true;
        }
        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return false;
        }
        if (response.Headers.RetryAfter is not null || GitHubRateLimitTracker.TryGet(response.Headers, "x-ratelimit-remaining") == "0")
        {
            return true;
        }
        // Buffered so Octokit can still read the body of an answer that is not retried.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return body.Contains("rate limit", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The wait GitHub asks for: <c>retry-after</c> when given; the window reset when the primary limit is
    /// spent; otherwise the secondary-limit wait doubled per attempt. Null leaves 5xx to the jittered backoff.
    /// </summary>
    private static TimeSpan? RateLimitDelay(HttpResponseMessage response, int attemptNumber, GitHubClientOptions options, TimeProvider timeProvider)
    {
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return null;
        }
        var now = timeProvider.GetUtcNow();
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : TimeSpan.Zero);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        if (GitHubRateLimitTracker.TryGet(response.Headers, "x-ratelimit-remaining") == "0"
            && GitHubRateLimitTracker.TryGetLong(response.Headers, "x-ratelimit-reset") is { } reset)
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return options.SecondaryRateLimitWait * Math.Pow(2, attemptNumber);
    }
}
