namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>One resource's limit; <see cref="Reset"/> is in Unix seconds.</summary>
public sealed class RateLimitResource
{
    public int Limit { get; init; }

    public int Remaining { get; init; }

    public int Used { get; init; }

    public long Reset { get; init; }
}
