namespace AgentMesh.GitHub.Rest;

/// <summary>A credential that can fetch a new secret when GitHub refuses the current one (a revoked installation token).</summary>
public interface IRenewableGitHubCredential : IGitHubCredential
{
    /// <summary>Forgets <paramref name="authorization"/> if it is still the current one, so the next call fetches a new one.</summary>
    void Invalidate(string authorization);
}
