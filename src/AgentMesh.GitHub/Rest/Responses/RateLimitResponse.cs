namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>Answer of <c>GET /rate_limit</c> (which itself does not spend the limit).</summary>
public sealed class RateLimitResponse
{
    public RateLimitResources Resources { get; init; } = new();

    public RateLimitResource? Rate { get; init; }
}
