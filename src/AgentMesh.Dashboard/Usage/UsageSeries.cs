using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Dashboard.Usage;

/// <summary>Adds up the hourly usage rows into UTC days per repository: the usage page's charts and table. Pure.</summary>
public static class UsageSeries
{
    /// <param name="firstDay">The first UTC day shown.</param>
    /// <param name="days">How many days, the last being <paramref name="firstDay"/> + days − 1.</param>
    public static DailyUsage ByDay(IEnumerable<UsageHour> hours, DateOnly firstDay, int days)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var dayList = Enumerable.Range(0, days).Select(firstDay.AddDays).ToArray();
        var repos = new SortedDictionary<string, RepoDaily>(StringComparer.Ordinal);
        foreach (var hour in hours)
        {
            var index = DateOnly.FromDateTime(hour.Hour.UtcDateTime).DayNumber - firstDay.DayNumber;
            if (index < 0 || index >= days)
            {
                continue;
            }
            if (!repos.TryGetValue(hour.Repo, out var repo))
            {
                repo = new RepoDaily(hour.Repo, new long[days], new decimal[days], new int[days], new int[days]);
                repos.Add(hour.Repo, repo);
            }
            repo.Tokens[index] += hour.Tokens;
            repo.CostUsd[index] += hour.CostUsd;
            repo.Runs[index] += hour.Runs;
            repo.Succeeded[index] += hour.Succeeded;
        }
        return new DailyUsage(dayList, [.. repos.Values]);
    }
}

/// <summary>Usage per UTC day, one entry per repository with any.</summary>
public sealed record DailyUsage(IReadOnlyList<DateOnly> Days, IReadOnlyList<RepoDaily> Repos)
{
    public UsageTotals Total => new(
        Repos.Sum(r => r.Totals.Tokens),
        Repos.Sum(r => r.Totals.CostUsd),
        Repos.Sum(r => r.Totals.Runs),
        Repos.Sum(r => r.Totals.Succeeded));
}

/// <summary>One repository's usage, each array indexed by day.</summary>
public sealed record RepoDaily(string Repo, long[] Tokens, decimal[] CostUsd, int[] Runs, int[] Succeeded)
{
    public UsageTotals Totals => new(Tokens.Sum(), CostUsd.Sum(), Runs.Sum(), Succeeded.Sum());
}

/// <param name="Succeeded">Runs whose agent finished without an error.</param>
public sealed record UsageTotals(long Tokens, decimal CostUsd, int Runs, int Succeeded)
{
    /// <summary>Succeeded over runs, from 0 to 1; null with no runs.</summary>
    public double? SuccessRate => Runs == 0 ? null : (double)Succeeded / Runs;
}
