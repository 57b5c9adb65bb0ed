using AgentMesh.GitHub.Rest.Responses;

namespace AgentMesh.GitHub.Rest;

/// <summary>Calls made as the GitHub App itself (JWT): the <c>/app</c> endpoints.</summary>
public sealed class GitHubAppClient(GitHubConnection connection)
{
    /// <summary>The connection, authenticated with the App's JWT.</summary>
    public GitHubConnection Connection { get; } = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary><c>POST /app/installations/{id}/access_tokens</c>: a token acting as that installation for one hour.</summary>
    public async Task<InstallationAccessToken> CreateInstallationTokenAsync(long installationId, CancellationToken cancellationToken = default)
    {
        var path = $"app/installations/{installationId}/access_tokens";
        // Creating a token has no lasting effect, so a 5xx may be retried even though it is a POST.
        var response = await Connection.SendAsync(HttpMethod.Post, path, null, safeToRepeat: true, cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess(HttpMethod.Post, path).Read(GitHubJsonContext.Default.InstallationAccessToken);
    }
}
