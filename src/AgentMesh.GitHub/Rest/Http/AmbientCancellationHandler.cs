namespace AgentMesh.GitHub.Rest.Http;

/// <summary>Links the token of <see cref="AmbientCancellation"/> into every request Octokit sends (Octokit passes none).</summary>
internal sealed class AmbientCancellationHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var ambient = AmbientCancellation.Token;
        if (!ambient.CanBeCanceled)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ambient);
        return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
    }
}
