using AgentMesh.Core.Jobs;
using AgentMesh.Server.Api.Jobs;

namespace AgentMesh.Server.Api.Stats;

/// <summary>Adds up jobs into a <see cref="StatsReport"/>. Pure: the endpoint reads, this counts.</summary>
public static class StatsCalculator
{
    public static StatsReport Compute(IEnumerable<JobSummary> jobs, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var list = jobs.ToList();
        var repos = list
            .GroupBy(j => j.Repo, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RepoStats(g.Key, Totals(g)))
            .ToList();
        return new StatsReport(Totals(list), repos, generatedAt);
    }

    /// <summary>A pull request opened (and maybe merged) counts as success: the agent did its job.</summary>
    public static bool IsSuccess(JobState state) => state is JobState.PrOpened or JobState.Merged;

    /// <summary>Reached an outcome. A fix round (<c>fixing</c>) is work under way, not an outcome.</summary>
    public static bool IsFinished(JobState state) => IsSuccess(state) || state.IsTerminal();

    private static StatsTotals Totals(IEnumerable<JobSummary> jobs)
    {
        var byState = Enum.GetValues<JobState>().ToDictionary(s => s.ToWire(), _ => 0, StringComparer.Ordinal);
        var tokens = TokenUsage.Zero;
        var cost = 0m;
        int total = 0, finished = 0, succeeded = 0;
        foreach (var job in jobs)
        {
            total++;
            byState[job.State.ToWire()]++;
            tokens = tokens.Add(job.Usage.Tokens);
            cost += job.Usage.CostUsd;
            finished += IsFinished(job.State) ? 1 : 0;
            succeeded += IsSuccess(job.State) ? 1 : 0;
        }
        return new StatsTotals(total, byState, tokens, cost, finished, succeeded, finished == 0 ? null : (double)succeeded / finished);
    }
}
