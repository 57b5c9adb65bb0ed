using System.Runtime.CompilerServices;
using AgentMesh.GitHub.Webhooks;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.GitHubAccess;

/// <summary>
/// A delivery's candidate secrets: first the configured ones (repository, installation, global), then those of the
/// hooks the node created on its repository (<see cref="RepoWebhookSecrets"/>). The stored ones are read only when
/// no configured secret verified the delivery: a delivery signed with a configured secret (an org or App hook, or
/// a repo hook set up by hand) is acknowledged without a read of the store.
/// </summary>
public sealed class StoredWebhookSecretProvider(RepoWebhookSecrets stored, IOptionsMonitor<GitHubWebhookOptions> options) : IWebhookSecretProvider
{
    private readonly OptionsWebhookSecretProvider _configured = new(options);

    public async IAsyncEnumerable<string> GetCandidateSecretsAsync(string? repositoryFullName, long? installationId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var secret in _configured.Configured(repositoryFullName, installationId))
        {
            yield return secret;
        }
        if (repositoryFullName is null)
        {
            yield break;
        }
        foreach (var secret in await stored.GetAsync(repositoryFullName, cancellationToken).ConfigureAwait(false))
        {
            yield return secret;
        }
    }
}
