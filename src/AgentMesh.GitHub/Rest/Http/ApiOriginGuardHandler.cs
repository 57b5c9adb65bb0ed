namespace AgentMesh.GitHub.Rest.Http;

/// <summary>
/// Refuses to send a request outside the configured API root. Octokit follows <c>Link</c> pages and builds
/// URLs from answers with the Authorization header attached; a link is data from the network, so the token
/// must never follow one to another host. (Octokit strips the header on cross-host redirects only.)
/// </summary>
internal sealed class ApiOriginGuardHandler(Uri apiRoot) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri;
        if (uri is null || !apiRoot.IsBaseOf(uri) || uri.Authority != apiRoot.Authority)
        {
            throw new InvalidOperationException($"Refusing to send GitHub credentials to {uri?.GetLeftPart(UriPartial.Path)}, outside {apiRoot}.");
        }
        return base.SendAsync(request, cancellationToken);
    }
}
