using Octokit;

namespace AgentMesh.GitHub.Rest;

/// <summary>Calls made as the GitHub App itself (its JWT): Octokit's <c>/app</c> endpoints.</summary>
public sealed class GitHubAppClient(IGitHubClient octokit)
{
    /// <summary>Octokit's client, authenticated with the App's JWT.</summary>
    public IGitHubClient Octokit { get; } = octokit ?? throw new ArgumentNullException(nameof(octokit));

    /// <summary><c>POST /app/installations/{id}/access_tokens</c>: a token acting as that installation for one hour.</summary>
    public Task<AccessToken> CreateInstallationTokenAsync(long installationId, CancellationToken cancellationToken = default) =>
        AmbientCancellation.RunAsync(() => Octokit.GitHubApps.CreateInstallationToken(installationId), cancellationToken);
}
