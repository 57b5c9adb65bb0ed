namespace AgentMesh.GitHub.Rest;

/// <summary>Something that can authorize requests: a personal access token, an App's JWT, an installation token.</summary>
public interface IGitHubCredential
{
    /// <summary>
    /// A stable, non-secret key for this identity (a hash, or the installation id). Requests sharing it
    /// share one concurrency cap, one rate-limit state and one ETag cache partition.
    /// </summary>
    string Fingerprint { get; }

    /// <summary>The full <c>Authorization</c> header value, e.g. <c>Bearer …</c>. Never put it in a URL or a log.</summary>
    ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken);
}
