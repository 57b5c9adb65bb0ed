namespace AgentMesh.GitHub.Rest.Http;

/// <summary>
/// Lets every identity's handler chain end in the factory's one connection pool: Octokit disposes its
/// HttpClient (and so the whole chain) with the client, which must not close the shared pool.
/// </summary>
internal sealed class NonDisposingHandler(HttpMessageHandler shared) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _invoker = new(shared, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _invoker.Dispose();
        }
        base.Dispose(disposing);
    }
}
