using AgentMesh.GitHub.Webhooks;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.GitHubAccess;

/// <summary>
/// A delivery's candidate secrets: first those of the hooks the node created on its repository
/// (<see cref="RepoWebhookSecrets"/>), then the configured ones (repository, installation, global).
/// </summary>
public sealed class StoredWebhookSecretProvider(RepoWebhookSecrets stored, IOptionsMonitor<GitHubWebhookOptions> options) : IWebhookSecretProvider
{
    private readonly OptionsWebhookSecretProvider _configured = new(options);

    public async ValueTask<IReadOnlyList<string>> GetCandidateSecretsAsync(string? repositoryFullName, long? installationId, CancellationToken cancellationToken)
    {
        var configured = await _configured.GetCandidateSecretsAsync(repositoryFullName, installationId, cancellationToken).ConfigureAwait(false);
        if (repositoryFullName is null)
        {
            return configured;
        }
        var own = await stored.GetAsync(repositoryFullName, cancellationToken).ConfigureAwait(false);
        return own.Count == 0 ? configured : [.. own, .. configured];
    }
}
