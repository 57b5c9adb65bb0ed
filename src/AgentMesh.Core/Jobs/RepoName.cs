namespace AgentMesh.Core.Jobs;

/// <summary>The "owner/name" form GitHub uses for a repository.</summary>
public static class RepoName
{
    /// <summary>True for exactly one '/' between a non-empty owner and name, with no whitespace.</summary>
    public static bool IsValid(string? repo)
    {
        if (string.IsNullOrEmpty(repo) || repo.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var slash = repo.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < repo.Length - 1 && repo.IndexOf('/', slash + 1) < 0;
    }
}
