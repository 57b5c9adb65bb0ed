using AgentMesh.Core.Jobs;
using AgentMesh.Core.Repos;
using AgentMesh.Dashboard.Repos;
using AgentMesh.Server.Actors;

namespace AgentMesh.Server.Api.Repos;

/// <summary>
/// The dashboard's repository settings, on the admin API's path: the repo actor, and the same
/// validation and message as <c>PUT /api/repos/{owner}/{repo}</c>.
/// </summary>
public sealed partial class DashboardRepoSettings(RepoActor repos, TimeProvider timeProvider, ILogger<DashboardRepoSettings> logger) : IRepoSettings
{
    public async Task<IReadOnlyList<RepoSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var all = await repos.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Select(r => new RepoSummary(r.Repo, r.State.Config, r.State.Ledger.UsedThisHour(now), r.State.Ledger.UsedToday(now)))];
    }

    public async Task<RepoChangeResult> SaveAsync(string repo, RepoConfig config, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!RepoName.IsValid(repo))
        {
            return RepoChangeResult.Refused($"owner and repo must be a GitHub 'owner/name' without whitespace (was '{repo}').");
        }
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            return RepoChangeResult.Refused(RepoConfigProblems.Describe(repo, problems), problems);
        }
        await repos.SetConfigAsync(repo, config, cancellationToken).ConfigureAwait(false);
        LogSaved(logger, repo, actor, config.Enabled);
        return RepoChangeResult.Ok;
    }

    public async Task<RepoChangeResult> SetEnabledAsync(string repo, bool enabled, string actor, CancellationToken cancellationToken)
    {
        var state = await repos.GetAsync(repo, cancellationToken).ConfigureAwait(false);
        return state is null
            ? RepoChangeResult.Refused($"Repo {repo} is not configured.")
            : await SaveAsync(repo, state.Config with { Enabled = enabled }, actor, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} saved the configuration of {Repo} from the dashboard (enabled: {Enabled})")]
    private static partial void LogSaved(ILogger logger, string repo, string actor, bool enabled);
}
