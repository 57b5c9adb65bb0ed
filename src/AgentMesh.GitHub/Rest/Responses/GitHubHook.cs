namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>A repository webhook.</summary>
public sealed class GitHubHook
{
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public bool Active { get; init; }

    public IReadOnlyList<string> Events { get; init => field = value ?? []; } = [];

    public GitHubHookConfig Config { get; init; } = new();
}
