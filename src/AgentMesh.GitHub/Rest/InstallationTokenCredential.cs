using Microsoft.Extensions.Logging;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Acts as one installation of a GitHub App. The installation token (valid one hour) is created with the
/// App's JWT and reused until <see cref="GitHubClientOptions.InstallationTokenRefreshMargin"/> before it
/// expires; concurrent callers share one refresh. A token GitHub refuses (revoked, or the App's
/// permissions changed) is dropped and replaced once.
/// </summary>
public sealed class InstallationTokenCredential : IRenewableGitHubCredential, IDisposable
{
    private readonly GitHubAppClient _app;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _refreshMargin;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (string Authorization, DateTimeOffset ExpiresAt)? _current;

    public InstallationTokenCredential(GitHubAppClient app, long installationId, TimeProvider timeProvider, TimeSpan refreshMargin, ILogger logger)
    {
        _app = app ?? throw new ArgumentNullException(nameof(app));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        InstallationId = installationId;
        _refreshMargin = refreshMargin;
    }

    public long InstallationId { get; }

    /// <summary>The rate limit belongs to the installation, not to one hourly token.</summary>
    public string Fingerprint => "installation:" + InstallationId;

    public async ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } authorization)
        {
            return authorization;
        }
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } refreshed)
            {
                return refreshed;
            }
            var token = await _app.CreateInstallationTokenAsync(InstallationId, cancellationToken).ConfigureAwait(false);
            GitHubClientLog.InstallationTokenCreated(_logger, InstallationId, token.ExpiresAt);
            _current = ("Bearer " + token.Token, token.ExpiresAt);
            return _current.Value.Authorization;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Invalidate(string authorization)
    {
        // Only the token that was refused: a concurrent caller may already have fetched a newer one.
        if (_current is { } current && current.Authorization == authorization)
        {
            _current = null;
        }
    }

    private string? Fresh() =>
        _current is { } current && _timeProvider.GetUtcNow() < current.ExpiresAt - _refreshMargin ? current.Authorization : null;

    public void Dispose() => _refresh.Dispose();

    public override string ToString() => Fingerprint;
}
