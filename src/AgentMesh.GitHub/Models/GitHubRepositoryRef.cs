namespace AgentMesh.GitHub.Models;

/// <summary>The short repository form in installation payloads.</summary>
public sealed class GitHubRepositoryRef
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public string FullName { get; init; } = "";

    public bool Private { get; init; }
}
