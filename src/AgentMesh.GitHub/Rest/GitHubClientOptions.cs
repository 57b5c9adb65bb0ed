namespace AgentMesh.GitHub.Rest;

/// <summary>Options of the REST client (section <c>GitHub:Rest</c>).</summary>
public sealed class GitHubClientOptions
{
    /// <summary>API root. Default <c>https://api.github.com/</c>; GitHub Enterprise Server is <c>https://HOST/api/v3/</c>.</summary>
    public Uri BaseAddress { get; set; } = new("https://api.github.com/");

    /// <summary>The User-Agent GitHub requires on every request. Default <c>AgentMesh</c>.</summary>
    public string UserAgent { get; set; } = "AgentMesh";

    /// <summary>Requests in flight at once per token (GitHub's secondary limits punish bursts). Default 8.</summary>
    public int MaxConcurrentRequestsPerToken { get; set; } = 8;

    /// <summary>Time one attempt may take before it is abandoned and retried. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt for transient failures and rate limits. Default 4.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>First delay of the exponential, jittered backoff for 5xx and timeouts. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Wait after a secondary rate limit without <c>retry-after</c>; doubled on each further one.
    /// Default 60 s, the minimum GitHub documents.
    /// </summary>
    public TimeSpan SecondaryRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>An installation token is renewed this long before it expires. Default 5 min.</summary>
    public TimeSpan InstallationTokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Page size asked for when listing. Default 100, GitHub's maximum.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Conditional-GET bodies kept per factory before the cache is emptied. Default 1000.</summary>
    public int MaxCachedResponses { get; set; } = 1000;

    /// <summary>Checks the options and throws with an exact message when one cannot work.</summary>
    public void Validate()
    {
        if (!BaseAddress.IsAbsoluteUri || BaseAddress.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"GitHub:Rest:BaseAddress must be an absolute http(s) URL, but is '{BaseAddress}'.");
        }
        Positive(MaxConcurrentRequestsPerToken, nameof(MaxConcurrentRequestsPerToken));
        Positive(PageSize, nameof(PageSize));
        Positive(MaxCachedResponses, nameof(MaxCachedResponses));
        if (MaxRetryAttempts < 0)
        {
            throw new ArgumentException($"GitHub:Rest:MaxRetryAttempts must be zero or more, but is {MaxRetryAttempts}.");
        }
        PositiveTime(AttemptTimeout, nameof(AttemptTimeout));
        PositiveTime(RetryBaseDelay, nameof(RetryBaseDelay));
        PositiveTime(SecondaryRateLimitWait, nameof(SecondaryRateLimitWait));
        if (InstallationTokenRefreshMargin < TimeSpan.Zero || InstallationTokenRefreshMargin >= TimeSpan.FromMinutes(55))
        {
            throw new ArgumentException($"GitHub:Rest:InstallationTokenRefreshMargin must be between 0 and 55 minutes (tokens live 60), but is {InstallationTokenRefreshMargin}.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"GitHub:Rest:{name} must be positive, but is {value}.");
        }
    }

    private static void PositiveTime(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"GitHub:Rest:{name} must be positive, but is {value}.");
        }
    }
}
