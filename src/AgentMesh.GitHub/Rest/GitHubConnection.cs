using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Sends requests to GitHub as one identity, with everything GitHub asks of a well-behaved client:
/// a cap on concurrent requests, waiting out primary and secondary rate limits, retrying transient
/// failures with jittered exponential backoff, and conditional GETs. The token only ever travels in
/// the Authorization header, and only to the configured API origin.
/// </summary>
public sealed class GitHubConnection
{
    private static readonly ResiliencePropertyKey<bool> SafeToRepeatKey = new("agentmesh.github.safe-to-repeat");
    private static readonly ResiliencePropertyKey<string> DescriptionKey = new("agentmesh.github.request");
    private static readonly MediaTypeWithQualityHeaderValue GitHubJson = new("application/vnd.github+json");

    private readonly HttpClient _http;
    private readonly IGitHubCredential _credential;
    private readonly GitHubClientOptions _options;
    private readonly GitHubIdentityState _identity;
    private readonly GitHubResponseCache _cache;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Uri _baseAddress;

    internal GitHubConnection(
        HttpClient http,
        IGitHubCredential credential,
        GitHubClientOptions options,
        GitHubIdentityState identity,
        GitHubResponseCache cache,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _http = http;
        _credential = credential;
        _options = options;
        _identity = identity;
        _cache = cache;
        _timeProvider = timeProvider;
        _logger = logger;
        _baseAddress = options.BaseAddress.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");
        _pipeline = BuildPipeline();
    }

    /// <summary>The identity's rate-limit state, updated from every answer.</summary>
    public IGitHubRateLimitState RateLimit => _identity.RateLimit;

    /// <summary>The identity requests are made as.</summary>
    public string Fingerprint => _credential.Fingerprint;

    /// <summary>
    /// Sends one request and returns the answer, error statuses included (see <see cref="GitHubResponseExtensions.EnsureSuccess"/>).
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="pathOrUrl">A path relative to the API root (<c>repos/o/r</c>), or an absolute URL under it (a <c>Link</c> next page).</param>
    /// <param name="jsonBody">A JSON body, already serialized.</param>
    /// <param name="safeToRepeat">
    /// Whether a 5xx or timeout may be retried. True by default except for POST, where GitHub may have
    /// acted before failing and a repeat would duplicate the effect (a second comment).
    /// </param>
    public async Task<GitHubResponse> SendAsync(HttpMethod method, string pathOrUrl, byte[]? jsonBody = null, bool? safeToRepeat = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var uri = Resolve(pathOrUrl);
        var cacheKey = method == HttpMethod.Get ? _credential.Fingerprint + " " + uri.AbsoluteUri : null;
        var cached = cacheKey is null ? null : _cache.Get(cacheKey);

        await _identity.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WaitForPrimaryResetAsync(cancellationToken).ConfigureAwait(false);
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                context.Properties.Set(SafeToRepeatKey, safeToRepeat ?? method != HttpMethod.Post);
                context.Properties.Set(DescriptionKey, method.Method + " " + uri.AbsolutePath);
                using var response = await ExecuteRenewingAsync(method, uri, jsonBody, cached?.ETag, context).ConfigureAwait(false);

                if (response.StatusCode == HttpStatusCode.NotModified && cached is not null)
                {
                    GitHubClientLog.NotModified(_logger, uri.AbsolutePath);
                    return new GitHubResponse(HttpStatusCode.OK, cached.Body, cached.NextPage, FromCache: true);
                }
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var next = response.Headers.TryGetValues("Link", out var links) ? LinkHeader.NextPage(links) : null;
                if (cacheKey is not null && response.IsSuccessStatusCode && response.Headers.ETag is { } etag)
                {
                    _cache.Put(cacheKey, new CachedGitHubResponse(etag.ToString(), body, next));
                }
                return new GitHubResponse(response.StatusCode, body, next, FromCache: false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
        finally
        {
            _identity.Gate.Release();
        }
    }

    private async Task<HttpResponseMessage> ExecuteRenewingAsync(HttpMethod method, Uri uri, byte[]? jsonBody, string? etag, ResilienceContext context)
    {
        var response = await ExecuteAsync(method, uri, jsonBody, etag, context).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || _credential is not IRenewableGitHubCredential renewable)
        {
            return response;
        }
        // A revoked installation token: drop it and try once more with a fresh one.
        renewable.Invalidate(response.RequestMessage?.Headers.Authorization?.ToString() ?? "");
        response.Dispose();
        return await ExecuteAsync(method, uri, jsonBody, etag, context).ConfigureAwait(false);
    }

    private ValueTask<HttpResponseMessage> ExecuteAsync(HttpMethod method, Uri uri, byte[]? jsonBody, string? etag, ResilienceContext context) =>
        _pipeline.ExecuteAsync(
            async ctx =>
            {
                // The request is kept (not disposed) so a 401 can name the Authorization it refused; it holds no stream.
                var request = await CreateRequestAsync(method, uri, jsonBody, etag, ctx.CancellationToken).ConfigureAwait(false);
                var answer = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken).ConfigureAwait(false);
                _identity.RateLimit.Observe(answer.Headers);
                return answer;
            },
            context);

    private Uri Resolve(string pathOrUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrUrl);
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            // A Link header is data from the network: never send the token anywhere but the API root.
            if (!_baseAddress.IsBaseOf(absolute) || absolute.Authority != _baseAddress.Authority)
            {
                throw new InvalidOperationException($"Refusing to send GitHub credentials to {absolute.GetLeftPart(UriPartial.Path)}, outside {_baseAddress}.");
            }
            return absolute;
        }
        return new Uri(_baseAddress, pathOrUrl.TrimStart('/'));
    }

    private async Task<HttpRequestMessage> CreateRequestAsync(HttpMethod method, Uri uri, byte[]? jsonBody, string? etag, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(await _credential.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false));
        request.Headers.Accept.Add(GitHubJson);
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }
        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        return request;
    }

    private async Task WaitForPrimaryResetAsync(CancellationToken cancellationToken)
    {
        var wait = _identity.RateLimit.WaitBeforeNextRequest();
        if (wait > TimeSpan.Zero)
        {
            GitHubClientLog.WaitingForReset(_logger, _credential.Fingerprint, wait, _identity.RateLimit.Current!.ResetAt);
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider };
        if (_options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromHours(1),
                ShouldHandle = ShouldRetryAsync,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RateLimitDelay(response, args.AttemptNumber) : null),
                OnRetry = args =>
                {
                    var what = args.Context.Properties.GetValue(DescriptionKey, "request").Split(' ', 2);
                    if (args.Outcome.Result is { } response)
                    {
                        GitHubClientLog.RetryingStatus(_logger, what[0], what[^1], response.StatusCode, args.AttemptNumber + 1, args.RetryDelay);
                    }
                    else
                    {
                        GitHubClientLog.RetryingFailure(_logger, what[0], what[^1], args.Outcome.Exception?.GetType().Name ?? "unknown", args.AttemptNumber + 1, args.RetryDelay);
                    }
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.AddTimeout(_options.AttemptTimeout).Build();
    }

    private static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var safeToRepeat = args.Context.Properties.GetValue(SafeToRepeatKey, false);
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
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return body.Contains("rate limit", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The wait GitHub asks for: <c>retry-after</c> when given; the window reset when the primary limit is
    /// spent; otherwise the secondary-limit wait doubled per attempt. Null leaves 5xx to the jittered backoff.
    /// </summary>
    private TimeSpan? RateLimitDelay(HttpResponseMessage response, int attemptNumber)
    {
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return null;
        }
        var now = _timeProvider.GetUtcNow();
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
        return _options.SecondaryRateLimitWait * Math.Pow(2, attemptNumber);
    }
}
