namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>The limits per resource; AgentMesh uses <c>core</c>.</summary>
public sealed class RateLimitResources
{
    public RateLimitResource Core { get; init; } = new();
}
