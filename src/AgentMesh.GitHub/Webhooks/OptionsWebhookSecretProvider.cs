using Microsoft.Extensions.Options;

namespace AgentMesh.GitHub.Webhooks;

/// <summary>Secrets from <see cref="GitHubWebhookOptions"/>: repository, then installation, then global.</summary>
public sealed class OptionsWebhookSecretProvider(IOptionsMonitor<GitHubWebhookOptions> options) : IWebhookSecretProvider
{
    public IAsyncEnumerable<string> GetCandidateSecretsAsync(string? repositoryFullName, long? installationId, CancellationToken cancellationToken) =>
        Configured(repositoryFullName, installationId).ToAsyncEnumerable();

    /// <summary>The configured secrets, in the order they are tried.</summary>
    public IReadOnlyList<string> Configured(string? repositoryFullName, long? installationId)
    {
        var current = options.CurrentValue;
        var secrets = new List<string>(3);
        if (repositoryFullName is not null && current.RepositorySecrets.TryGetValue(repositoryFullName, out var repoSecret))
        {
            secrets.Add(repoSecret);
        }
        if (installationId is { } id && current.InstallationSecrets.TryGetValue(id, out var installationSecret))
        {
            secrets.Add(installationSecret);
        }
        if (current.GlobalSecret is { } global)
        {
            secrets.Add(global);
        }
        return secrets;
    }
}
