namespace AgentMesh.Core.Repos;

/// <summary>
/// A repo's token spending in fixed UTC windows: clock hours and calendar days. Fixed windows (not sliding ones)
/// make "when can we run again?" exact: at the start of the next window. Bounded: it keeps the last
/// <see cref="HourlyWindowsKept"/> hours and <see cref="DailyWindowsKept"/> days (enough for the dashboard's chart),
/// and only the current hour and day count against budgets.
/// </summary>
public sealed record BudgetLedger
{
    /// <summary>Hourly windows kept.</summary>
    public const int HourlyWindowsKept = 24;

    /// <summary>Daily windows kept.</summary>
    public const int DailyWindowsKept = 7;

    /// <summary>An empty ledger.</summary>
    public static BudgetLedger Empty { get; } = new();

    /// <summary>Hourly windows, oldest first.</summary>
    public IReadOnlyList<UsageWindow> Hourly { get; init; } = [];

    /// <summary>Daily windows, oldest first.</summary>
    public IReadOnlyList<UsageWindow> Daily { get; init; } = [];

    /// <summary>Adds tokens used at <paramref name="at"/> and drops windows that fell out of retention.</summary>
    public BudgetLedger Record(long tokens, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        // Retention counts back from the newest window, not from "at": usage reported late for an earlier hour
        // must neither resurrect a window already dropped nor keep windows the newest one pushed out.
        var newestHour = Max(HourStart(at), Hourly.Count > 0 ? Hourly[^1].Start : default);
        var newestDay = Max(DayStart(at), Daily.Count > 0 ? Daily[^1].Start : default);
        return new BudgetLedger
        {
            Hourly = Add(Hourly, HourStart(at), tokens, newestHour.AddHours(-(HourlyWindowsKept - 1))),
            Daily = Add(Daily, DayStart(at), tokens, newestDay.AddDays(-(DailyWindowsKept - 1))),
        };
    }

    /// <summary>Tokens used in the clock hour containing <paramref name="now"/>.</summary>
    public long UsedThisHour(DateTimeOffset now) => Hourly.FirstOrDefault(w => w.Start == HourStart(now))?.Tokens ?? 0;

    /// <summary>Tokens used in the UTC day containing <paramref name="now"/>.</summary>
    public long UsedToday(DateTimeOffset now) => Daily.FirstOrDefault(w => w.Start == DayStart(now))?.Tokens ?? 0;

    /// <summary>Start of the UTC clock hour containing <paramref name="at"/>.</summary>
    public static DateTimeOffset HourStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Start of the UTC day containing <paramref name="at"/>.</summary>
    public static DateTimeOffset DayStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static UsageWindow[] Add(IReadOnlyList<UsageWindow> windows, DateTimeOffset start, long tokens, DateTimeOffset keepFrom)
    {
        var found = false;
        var updated = new List<UsageWindow>(windows.Count + 1);
        foreach (var window in windows)
        {
            if (window.Start < keepFrom)
            {
                continue;
            }

            if (window.Start == start)
            {
                updated.Add(window with { Tokens = checked(window.Tokens + tokens) });
                found = true;
            }
            else
            {
                updated.Add(window);
            }
        }

        if (!found && start >= keepFrom)
        {
            // Usage recorded late (for an earlier window still in retention) is kept in order, not appended last.
            updated.Add(new UsageWindow(start, tokens));
            updated.Sort((a, b) => a.Start.CompareTo(b.Start));
        }

        return [.. updated];
    }
}
