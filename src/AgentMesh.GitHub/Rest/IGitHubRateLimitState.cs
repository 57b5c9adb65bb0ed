namespace AgentMesh.GitHub.Rest;

/// <summary>The latest primary rate-limit state GitHub reported for one identity, for schedulers and the dashboard.</summary>
public interface IGitHubRateLimitState
{
    /// <summary>The last snapshot, or null before the first answer.</summary>
    GitHubRateLimitSnapshot? Current { get; }
}
