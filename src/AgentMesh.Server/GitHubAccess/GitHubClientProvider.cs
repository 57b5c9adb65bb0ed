using AgentMesh.GitHub.Rest;

namespace AgentMesh.Server.GitHubAccess;

/// <summary>
/// Hands out the REST client and the git credentials for a repository, in token or App mode.
/// One instance per node: clients share rate-limit state and the installation-token cache.
/// </summary>
public sealed class GitHubClientProvider : IDisposable
{
    private readonly GitHubClientFactory _factory;
    private readonly GitHubAccessOptions _options;
    private readonly GitHubAppCredential? _app;

    /// <param name="restOptions">Not read any more (the factory holds the REST options); kept so callers need no change.</param>
    public GitHubClientProvider(GitHubClientFactory factory, GitHubAccessOptions options, GitHubClientOptions restOptions, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _factory = factory;
        _options = options;
        if (options.UsesApp)
        {
            _app = new GitHubAppCredential(options.AppId!, File.ReadAllText(options.AppPrivateKeyPath!), timeProvider);
        }
    }

    public bool IsConfigured => _app is not null || !string.IsNullOrWhiteSpace(_options.Token);

    /// <summary>The client acting for <paramref name="installationId"/> (App mode) or the token.</summary>
    public GitHubClient For(long? installationId = null)
    {
        if (_app is not null)
        {
            var installation = installationId ?? _options.InstallationId
                ?? throw new InvalidOperationException("GitHub App mode needs an installation id: set GitHub:InstallationId or act on a webhook that names one.");
            return _factory.ForInstallation(_app, installation);
        }
        if (string.IsNullOrWhiteSpace(_options.Token))
        {
            throw new InvalidOperationException("GitHub access is not configured: set GitHub:Token (AGENTMESH_GitHub__Token) or GitHub:AppId and GitHub:AppPrivateKeyPath.");
        }
        return _factory.ForToken(_options.Token);
    }

    /// <summary>
    /// The client for work on <paramref name="repo"/> (<c>owner/name</c>): the token, or in App mode the
    /// installation that serves the repository — the one its webhooks came through — so one App
    /// installed on several organizations serves them all.
    /// </summary>
    public async Task<GitHubClient> ForRepositoryAsync(string repo, CancellationToken cancellationToken = default) =>
        _app is null ? For() : await _factory.ForRepositoryAsync(_app, repo, cancellationToken).ConfigureAwait(false);

    /// <summary>The token git pushes to <paramref name="repo"/> with: the personal access token, or the installation's token.</summary>
    public async Task<string> GetGitTokenForRepositoryAsync(string repo, CancellationToken cancellationToken = default) =>
        _app is null
            ? await GetGitTokenAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
            : await _factory.GetInstallationTokenAsync(_app, await _factory.InstallationForAsync(_app, repo, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The token git pushes with: the personal access token, or the installation's token (which
    /// the App credential renews before it expires). Never put in a URL or an argument.
    /// </summary>
    public async Task<string> GetGitTokenAsync(long? installationId = null, CancellationToken cancellationToken = default)
    {
        if (_app is null)
        {
            return string.IsNullOrWhiteSpace(_options.Token)
                ? throw new InvalidOperationException("GitHub access is not configured: set GitHub:Token (AGENTMESH_GitHub__Token) or GitHub:AppId and GitHub:AppPrivateKeyPath.")
                : _options.Token;
        }
        var installation = installationId ?? _options.InstallationId
            ?? throw new InvalidOperationException("GitHub App mode needs an installation id: set GitHub:InstallationId or act on a webhook that names one.");
        // The factory's cached installation token, the same one the REST client uses.
        return await _factory.GetInstallationTokenAsync(_app, installation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The https clone URL of a repository on the configured git host (no credentials in it).</summary>
    public Uri CloneUrl(string repo) => new(_options.GitBaseAddress, $"{repo}.git");

    public void Dispose()
    {
        _app?.Dispose();
    }
}
