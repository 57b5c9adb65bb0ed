namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// The usage read model: tokens, cost and runs per repository per UTC clock hour (table
/// <c>usage_hourly</c>). Each agent run adds to its repository's hour once, where the worker records
/// its usage; the dashboard's charts and success rate read it without scanning every job.
/// </summary>
public interface IUsageStore
{
    /// <summary>Adds one run to the hour containing <see cref="RunUsage.At"/> (creating the row on first use).</summary>
    Task RecordAsync(RunUsage usage, CancellationToken cancellationToken = default);

    /// <summary>
    /// The hours starting at or after <paramref name="from"/> and before <paramref name="to"/>, of one
    /// repository or (null) of all, ordered by hour then repository.
    /// </summary>
    Task<IReadOnlyList<UsageHour>> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? repo = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the hours that ended at or before <paramref name="cutoff"/> (those starting before the hour that
    /// contains it), of every repository; the hour the cutoff falls in is kept whole. Returns how many rows went.
    /// One DELETE by age, so several nodes may run it at once.
    /// </summary>
    Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <summary>One agent run's usage.</summary>
/// <param name="CostUsd">Kept to the millionth of a dollar.</param>
/// <param name="Succeeded">The agent finished without an error (whatever became of its pull request).</param>
public sealed record RunUsage(string Repo, DateTimeOffset At, long Tokens, decimal CostUsd, bool Succeeded);

/// <summary>A repository's usage in one UTC clock hour starting at <paramref name="Hour"/>.</summary>
public sealed record UsageHour(string Repo, DateTimeOffset Hour, long Tokens, decimal CostUsd, int Runs, int Succeeded);

/// <summary>What both backends agree on for the usage table.</summary>
public static class UsageHours
{
    /// <summary>Start of the UTC clock hour containing <paramref name="at"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Millionths of a dollar: SQLite has no exact decimal, so both backends add integers.</summary>
    public static long ToMicros(decimal usd) => checked((long)decimal.Round(usd * 1_000_000m, MidpointRounding.AwayFromZero));

    public static decimal FromMicros(long micros) => micros / 1_000_000m;
}
