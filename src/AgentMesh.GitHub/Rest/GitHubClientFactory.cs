using System.Collections.Concurrent;
using AgentMesh.GitHub.Rest.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Octokit;
using Octokit.Internal;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Makes one Octokit client per credential — a personal access token, an App (JWT) or an App
/// installation — and reuses it: every client of one identity shares one handler pipeline (concurrency
/// cap, retries, rate-limit state) and its part of the ETag cache. All of them end in one connection pool.
/// </summary>
public sealed class GitHubClientFactory : IDisposable
{
    private readonly GitHubClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly HttpMessageHandler _primary;
    private readonly bool _ownsPrimary;
    private readonly Uri _apiRoot;
    private readonly GitHubResponseCache _cache;
    private readonly ConcurrentDictionary<string, Lazy<GitHubClient>> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GitHubRateLimitTracker> _rateLimits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<InstallationTokenCredential>> _installations = new(StringComparer.Ordinal);

    /// <param name="primaryHandler">
    /// The handler that sends (default: a new <see cref="SocketsHttpHandler"/> owned by the factory). Its
    /// own timeout should be infinite or longer than a whole retry sequence: each attempt is bounded by
    /// <see cref="GitHubClientOptions.AttemptTimeout"/>.
    /// </param>
    /// <param name="installations">Which installation serves which repository; shared with the webhook endpoint, which feeds it. Default: a new one.</param>
    public GitHubClientFactory(
        GitHubClientOptions options,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null,
        HttpMessageHandler? primaryHandler = null,
        GitHubInstallationDirectory? installations = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _ownsPrimary = primaryHandler is null;
        // As Octokit's own default handler: Octokit follows redirects itself (keeping the Authorization
        // header on the same host, dropping it elsewhere), so the handler must not.
        _primary = primaryHandler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _apiRoot = options.BaseAddress.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");
        _cache = new GitHubResponseCache(options.MaxCachedResponses);
        Installations = installations ?? new GitHubInstallationDirectory(timeProvider);
    }

    /// <summary>Which installation serves which repository, as this node has learned it.</summary>
    public GitHubInstallationDirectory Installations { get; }

    /// <summary>The client acting with <paramref name="credential"/>; the same instance for the same identity.</summary>
    public GitHubClient Create(IGitHubCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return _clients.GetOrAdd(credential.Fingerprint, _ => new Lazy<GitHubClient>(() => Build(credential))).Value;
    }

    /// <summary>A client acting with a personal access token.</summary>
    public GitHubClient ForToken(string token) => Create(new PersonalAccessTokenCredential(token));

    /// <summary>A client acting as the App itself (JWT), for installation tokens.</summary>
    public GitHubAppClient ForApp(GitHubAppCredential app) => new(Create(app).Octokit);

    /// <summary>
    /// A client acting as one installation of an App — chosen per delivery from the webhook's
    /// <c>installation.id</c>. Its token is cached and renewed before it expires.
    /// </summary>
    public GitHubClient ForInstallation(GitHubAppCredential app, long installationId) => Create(InstallationCredential(app, installationId));

    /// <summary>
    /// The client of the installation that serves <paramref name="repository"/> (<c>owner/name</c>): the one
    /// its deliveries came through, or, when this node has not seen one lately, the one GitHub names
    /// (<c>GET /repos/{owner}/{repo}/installation</c>, as the App).
    /// </summary>
    /// <exception cref="NotFoundException">The App is not installed on the repository.</exception>
    public async Task<GitHubClient> ForRepositoryAsync(GitHubAppCredential app, string repository, CancellationToken cancellationToken = default) =>
        ForInstallation(app, await InstallationForAsync(app, repository, cancellationToken).ConfigureAwait(false));

    /// <summary>The id of the installation that serves <paramref name="repository"/>; see <see cref="ForRepositoryAsync"/>.</summary>
    public async Task<long> InstallationForAsync(GitHubAppCredential app, string repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Installations.Find(repository) is { } known)
        {
            return known;
        }
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == repository.Length - 1)
        {
            throw new ArgumentException($"A repository is 'owner/name', not '{repository}'.", nameof(repository));
        }
        var octokit = ForApp(app).Octokit;
        var installation = await AmbientCancellation.RunAsync(
            () => octokit.GitHubApps.GetRepositoryInstallationForCurrent(repository[..slash], repository[(slash + 1)..]), cancellationToken).ConfigureAwait(false);
        Installations.Learn(repository, installation.Id);
        return installation.Id;
    }

    /// <summary>The installation's current token, for git over HTTPS (the same cached token the REST client uses).</summary>
    public async Task<string> GetInstallationTokenAsync(GitHubAppCredential app, long installationId, CancellationToken cancellationToken = default)
    {
        var authorization = await InstallationCredential(app, installationId).GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        return authorization[(authorization.IndexOf(' ', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>The rate-limit state of an identity (by <see cref="IGitHubCredential.Fingerprint"/>), or null if never used.</summary>
    public IGitHubRateLimitState? RateLimitOf(string fingerprint) =>
        _rateLimits.TryGetValue(fingerprint, out var tracker) ? tracker : null;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
        foreach (var installation in _installations.Values.Where(c => c.IsValueCreated))
        {
            installation.Value.Dispose();
        }
        if (_ownsPrimary)
        {
            _primary.Dispose();
        }
    }

    private InstallationTokenCredential InstallationCredential(GitHubAppCredential app, long installationId)
    {
        ArgumentNullException.ThrowIfNull(app);
        return _installations.GetOrAdd(
            app.Fingerprint + "/" + installationId,
            _ => new Lazy<InstallationTokenCredential>(() => new InstallationTokenCredential(
                ForApp(app), installationId, _timeProvider, _options.InstallationTokenRefreshMargin, _loggerFactory.CreateLogger<InstallationTokenCredential>()))).Value;
    }

    private GitHubClient Build(IGitHubCredential credential)
    {
        var logger = _loggerFactory.CreateLogger<GitHubClient>();
        var tracker = _rateLimits.GetOrAdd(credential.Fingerprint, _ => new GitHubRateLimitTracker(_timeProvider));
        // Outermost first: the caller's cancellation, the hold while the primary limit is spent, Polly
        // (cap, retries, attempt timeout), the rate-limit headers of every attempt, token renewal on
        // 401, the origin guard, then the shared pool.
        HttpMessageHandler chain = new NonDisposingHandler(_primary);
        chain = new ApiOriginGuardHandler(_apiRoot) { InnerHandler = chain };
        if (credential is IRenewableGitHubCredential renewable)
        {
            chain = new CredentialRenewalHandler(renewable) { InnerHandler = chain };
        }
        chain = new RateLimitObserverHandler(tracker) { InnerHandler = chain };
        chain = new ResilienceHandler(GitHubResiliencePipeline.Build(_options, _timeProvider, logger)) { InnerHandler = chain };
        chain = new PrimaryRateLimitHandler(tracker, credential.Fingerprint, _timeProvider, logger) { InnerHandler = chain };
        chain = new AmbientCancellationHandler { InnerHandler = chain };

        var top = chain;
        var http = new HttpClientAdapter(() => top);
        var connection = new Connection(
            new ProductHeaderValue(_options.UserAgent), _apiRoot, new OctokitCredentialStore(credential), http, new SimpleJsonSerializer())
        {
            ResponseCache = _cache.For(credential.Fingerprint),
        };
        // Each attempt has its own timeout in the pipeline; Octokit's HttpClient must not cut a retry sequence short.
        connection.SetRequestTimeout(Timeout.InfiniteTimeSpan);
        return new GitHubClient(new Octokit.GitHubClient(connection), credential.Fingerprint, tracker, http, _options);
    }
}
