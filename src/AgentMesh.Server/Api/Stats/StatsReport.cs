using AgentMesh.Core.Jobs;

namespace AgentMesh.Server.Api.Stats;

/// <summary>Jobs, tokens and success over every job in the store, overall and per repository.</summary>
/// <param name="Repos">One entry per repository with jobs, ordered by name.</param>
public sealed record StatsReport(StatsTotals Overall, IReadOnlyList<RepoStats> Repos, DateTimeOffset GeneratedAt);

public sealed record RepoStats(string Repo, StatsTotals Stats);

/// <param name="Jobs">Jobs by state wire name (every state, zero included).</param>
/// <param name="Tokens">Tokens over the jobs' whole lives.</param>
/// <param name="Finished">Jobs that reached an outcome: pr_opened, merged, failed, stopped or closed.</param>
/// <param name="Succeeded">Jobs that opened a pull request: pr_opened or merged.</param>
/// <param name="SuccessRate">Succeeded over finished, from 0 to 1; null while none finished.</param>
public sealed record StatsTotals(
    int TotalJobs,
    IReadOnlyDictionary<string, int> Jobs,
    TokenUsage Tokens,
    decimal CostUsd,
    int Finished,
    int Succeeded,
    double? SuccessRate);
