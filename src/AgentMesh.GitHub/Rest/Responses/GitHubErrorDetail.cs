namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>One entry of a 422's <c>errors</c>.</summary>
public sealed class GitHubErrorDetail
{
    public string? Resource { get; init; }

    public string? Field { get; init; }

    /// <summary><c>missing</c>, <c>missing_field</c>, <c>invalid</c>, <c>already_exists</c>, <c>unprocessable</c> or <c>custom</c>.</summary>
    public string? Code { get; init; }

    public string? Message { get; init; }
}
