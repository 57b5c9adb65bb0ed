namespace AgentMesh.GitHub.Models;

/// <summary>The <c>head</c> or <c>base</c> of a pull request.</summary>
public sealed class GitHubBranchRef
{
    /// <summary><c>owner:branch</c>.</summary>
    public string? Label { get; init; }

    /// <summary>The branch name.</summary>
    public string Ref { get; init; } = "";

    public string Sha { get; init; } = "";

    public GitHubRepository? Repo { get; init; }
}
