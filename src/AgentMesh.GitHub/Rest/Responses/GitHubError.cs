namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>GitHub's error body: <c>{"message": …, "errors": [...], "documentation_url": …}</c>.</summary>
public sealed class GitHubError
{
    public string? Message { get; init; }

    public IReadOnlyList<GitHubErrorDetail> Errors { get; init => field = value ?? []; } = [];

    public string? DocumentationUrl { get; init; }
}
