using System.Collections.Concurrent;
using AgentMesh.Core.Repos;
using AgentMesh.Dashboard.Repos;
using AgentMesh.Server.Api.Repos;

namespace AgentMesh.Dashboard.Tests.Support;

/// <summary>
/// Repository settings in memory, validated as the node validates them (<see cref="RepoConfig.Validate"/>
/// and the admin API's sentence), recording every change a component asked for.
/// </summary>
internal sealed class RecordingRepoSettings : IRepoSettings
{
    private readonly ConcurrentDictionary<string, RepoSummary> _repos = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Calls { get; } = new();

    public void Add(string repo, RepoConfig config, long tokensThisHour = 0, long tokensToday = 0) =>
        _repos[repo] = new RepoSummary(repo, config, tokensThisHour, tokensToday);

    public RepoConfig ConfigOf(string repo) => _repos[repo].Config;

    public Task<IReadOnlyList<RepoSummary>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RepoSummary>>([.. _repos.Values.OrderBy(r => r.Repo, StringComparer.Ordinal)]);

    public Task<RepoChangeResult> SaveAsync(string repo, RepoConfig config, string actor, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"save {repo} by {actor}");
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            return Task.FromResult(RepoChangeResult.Refused(RepoConfigProblems.Describe(repo, problems), problems));
        }
        _repos.AddOrUpdate(repo, _ => new RepoSummary(repo, config, 0, 0), (_, old) => old with { Config = config });
        return Task.FromResult(RepoChangeResult.Ok);
    }

    public Task<RepoChangeResult> SetEnabledAsync(string repo, bool enabled, string actor, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"{(enabled ? "enable" : "disable")} {repo} by {actor}");
        _repos[repo] = _repos[repo] with { Config = _repos[repo].Config with { Enabled = enabled } };
        return Task.FromResult(RepoChangeResult.Ok);
    }
}

/// <summary>A connector that lists what it is told and records each connection.</summary>
internal sealed class RecordingRepoConnector : IRepoConnector
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public List<ConnectableRepo> Visible { get; } = [];

    public Task<ConnectableRepos> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ConnectableRepos([.. Visible], null));

    public Task<RepoConnectResult> ConnectAsync(string repo, Uri webhookUrl, string actor, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"connect {repo} to {webhookUrl} by {actor}");
        return Task.FromResult(new RepoConnectResult(true, null, 4242, InvitationAccepted: true));
    }
}
