namespace AgentMesh.GitHub.Models;

/// <summary>An issue or pull-request label.</summary>
public sealed class GitHubLabel
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public string? Color { get; init; }
}
