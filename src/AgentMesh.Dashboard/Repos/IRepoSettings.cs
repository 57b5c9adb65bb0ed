using AgentMesh.Core.Repos;

namespace AgentMesh.Dashboard.Repos;

/// <summary>
/// The configured repositories and their settings, implemented by the node over the repo actor, the
/// admin API's path: a configuration is validated there, and refused with the admin API's message.
/// </summary>
public interface IRepoSettings
{
    /// <summary>Every configured repository, by name.</summary>
    Task<IReadOnlyList<RepoSummary>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Saves the whole configuration of <paramref name="repo"/>.</summary>
    Task<RepoChangeResult> SaveAsync(string repo, RepoConfig config, string actor, CancellationToken cancellationToken);

    /// <summary>Turns the repository's master switch on or off, keeping every other setting.</summary>
    Task<RepoChangeResult> SetEnabledAsync(string repo, bool enabled, string actor, CancellationToken cancellationToken);
}

/// <summary>A configured repository and its token use in the current UTC hour and day.</summary>
public sealed record RepoSummary(string Repo, RepoConfig Config, long TokensThisHour, long TokensToday);

/// <param name="Error">Why it was refused, as the admin API says it; null when done.</param>
/// <param name="Problems">Each validation problem, one sentence each; empty unless the configuration was invalid.</param>
public sealed record RepoChangeResult(bool Done, string? Error, IReadOnlyList<string> Problems)
{
    public static RepoChangeResult Ok { get; } = new(true, null, []);

    public static RepoChangeResult Refused(string reason, IReadOnlyList<string>? problems = null) => new(false, reason, problems ?? []);
}
