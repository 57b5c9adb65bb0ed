namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>A webhook's <c>config</c> as GitHub returns it (the secret comes back masked, if at all).</summary>
public sealed class GitHubHookConfig
{
    public string? Url { get; init; }

    public string? ContentType { get; init; }

    public string? InsecureSsl { get; init; }
}
