using System.Net;
using System.Net.Http.Headers;

namespace AgentMesh.GitHub.Rest.Http;

/// <summary>
/// A revoked or outdated installation token (GitHub's 401) is dropped and the request sent once more with
/// a fresh one. Octokit reads credentials per request but never renews them on a 401.
/// </summary>
internal sealed class CredentialRenewalHandler(IRenewableGitHubCredential credential) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Headers.Authorization is not { } refused)
        {
            return response;
        }
        credential.Invalidate(refused.ToString());
        var renewed = await credential.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        if (renewed == refused.ToString())
        {
            return response;
        }
        response.Dispose();
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(renewed);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
