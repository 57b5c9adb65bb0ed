namespace AgentMesh.Server.Api.Repos;

/// <summary>How a repository's invalid configuration is refused: one sentence for the admin API and the dashboard alike.</summary>
public static class RepoConfigProblems
{
    public static string Describe(string repo, IReadOnlyList<string> problems) =>
        $"The configuration of {repo} is invalid: {string.Join(" ", problems)}";
}
