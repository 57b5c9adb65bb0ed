using System.Net;

namespace AgentMesh.GitHub.Rest;

/// <summary>A finished GitHub answer: status, the whole body, and the <c>next</c> page link if any.</summary>
/// <param name="FromCache">True when GitHub said 304 and the body came from the ETag cache.</param>
public sealed record GitHubResponse(HttpStatusCode StatusCode, byte[] Body, Uri? NextPage, bool FromCache)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
}
