namespace AgentMesh.GitHub.Webhooks;

/// <summary>Finds the secrets a delivery may be signed with.</summary>
public interface IWebhookSecretProvider
{
    /// <summary>
    /// The candidate secrets for a delivery, in the order they are tried: the repository's
    /// own secret, then the installation's, then the global one. Either key may be null (ping for an org
    /// hook has no repository; a repo hook has no installation).
    /// </summary>
    ValueTask<IReadOnlyList<string>> GetCandidateSecretsAsync(string? repositoryFullName, long? installationId, CancellationToken cancellationToken);
}
