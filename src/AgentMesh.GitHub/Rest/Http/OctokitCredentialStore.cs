using Octokit;

namespace AgentMesh.GitHub.Rest.Http;

/// <summary>Hands Octokit the current token of one of our credentials on every request (installation tokens renew).</summary>
internal sealed class OctokitCredentialStore(IGitHubCredential credential) : ICredentialStore
{
    public async Task<Credentials> GetCredentials()
    {
        var authorization = await credential.GetAuthorizationAsync(AmbientCancellation.Token).ConfigureAwait(false);
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        return new Credentials(space < 0 ? authorization : authorization[(space + 1)..], AuthenticationType.Bearer);
    }
}
