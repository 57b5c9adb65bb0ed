using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Creates clients for tokens, Apps and installations. Clients of the same identity share one
/// concurrency cap, one rate-limit state and the ETag cache, however many are created.
/// </summary>
public sealed class GitHubClientFactory
{
    private readonly HttpClient _http;
    private readonly GitHubClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<string, GitHubIdentityState> _identities = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InstallationTokenCredential> _installations = new(StringComparer.Ordinal);
    private readonly GitHubResponseCache _cache;

    /// <param name="http">
    /// The HttpClient to send with. Its own Timeout should be infinite or longer than a whole retry
    /// sequence: each attempt is bounded by <see cref="GitHubClientOptions.AttemptTimeout"/>.
    /// </param>
    public GitHubClientFactory(HttpClient http, GitHubClientOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _cache = new GitHubResponseCache(options.MaxCachedResponses);
    }

    /// <summary>A client acting with any credential.</summary>
    public GitHubClient Create(IGitHubCredential credential) => new(Connect(credential), _options);

    /// <summary>A client acting with a personal access token.</summary>
    public GitHubClient ForToken(string token) => Create(new PersonalAccessTokenCredential(token));

    /// <summary>A client acting as the App itself (JWT), for installation tokens.</summary>
    public GitHubAppClient ForApp(GitHubAppCredential app) => new(Connect(app));

    /// <summary>A client acting as one installation of an App; its token is cached and renewed before expiry.</summary>
    public GitHubClient ForInstallation(GitHubAppCredential app, long installationId)
    {
        ArgumentNullException.ThrowIfNull(app);
        var credential = _installations.GetOrAdd(
            app.Fingerprint + "/" + installationId,
            _ => new InstallationTokenCredential(ForApp(app), installationId, _timeProvider, _options.InstallationTokenRefreshMargin, _loggerFactory.CreateLogger<InstallationTokenCredential>()));
        return Create(credential);
    }

    /// <summary>The rate-limit state of an identity (by <see cref="IGitHubCredential.Fingerprint"/>), or null if never used.</summary>
    public IGitHubRateLimitState? RateLimitOf(string fingerprint) =>
        _identities.TryGetValue(fingerprint, out var identity) ? identity.RateLimit : null;

    private GitHubConnection Connect(IGitHubCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var identity = _identities.GetOrAdd(credential.Fingerprint, _ => new GitHubIdentityState(_options.MaxConcurrentRequestsPerToken, _timeProvider));
        return new GitHubConnection(_http, credential, _options, identity, _cache, _timeProvider, _loggerFactory.CreateLogger<GitHubConnection>());
    }
}
