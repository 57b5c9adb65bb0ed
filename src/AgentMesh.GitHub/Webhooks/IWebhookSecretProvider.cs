namespace AgentMesh.GitHub.Webhooks;

/// <summary>Finds the secrets a delivery may be signed with.</summary>
public interface IWebhookSecretProvider
{
    /// <summary>
    /// The candidate secrets for a delivery, in the order they are tried; the endpoint stops at the first that
    /// verifies, so a secret that needs I/O to find comes after those that do not. Either key may be null (ping
    /// for an org hook has no repository; a repo hook has no installation).
    /// </summary>
    IAsyncEnumerable<string> GetCandidateSecretsAsync(string? repositoryFullName, long? installationId, CancellationToken cancellationToken);
}
