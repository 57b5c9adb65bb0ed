using System.Globalization;
using AgentMesh.Core.Repos;

namespace AgentMesh.Core.Tenants;

/// <summary>Limits across all of a tenant's repos; null is unlimited. Repos keep their own hourly and daily budgets too.</summary>
/// <param name="DailyTokens">Tokens per UTC day across the tenant.</param>
/// <param name="MonthlyCostUsd">Dollars per UTC calendar month across the tenant.</param>
public sealed record TenantBudget(long? DailyTokens, decimal? MonthlyCostUsd)
{
    /// <summary>No limits.</summary>
    public static TenantBudget Unlimited { get; } = new(null, null);

    /// <summary>
    /// The deferral when <paramref name="usage"/> of tenant <paramref name="account"/> is at or over a limit at
    /// <paramref name="now"/>, else null. The monthly cost comes first: when both are spent, the day turning over
    /// would not help, the month does. The daily tokens follow the rule of every token budget (<see cref="TokenBudget"/>).
    /// </summary>
    public AdmissionDecision.Defer? Check(string account, TenantUsage usage, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentNullException.ThrowIfNull(usage);
        if (MonthlyCostUsd is { } monthlyLimit && usage.CostThisMonthUsd >= monthlyLimit)
        {
            var retryAt = MonthStart(now).AddMonths(1);
            return new AdmissionDecision.Defer(
                DeferReason.MonthlyCostBudgetExhausted,
                string.Create(CultureInfo.InvariantCulture, $"The tenant {account}'s monthly cost budget (${monthlyLimit:0.00####}) is spent; work resumes at {retryAt:u}."),
                retryAt);
        }

        return TokenBudget.Check(hourly: null, DailyTokens, usedThisHour: 0, usage.TokensToday, now, scope: $"tenant {account}'s ");
    }

    /// <summary>Start of the UTC calendar month containing <paramref name="at"/>.</summary>
    public static DateTimeOffset MonthStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Every problem, one exact sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (DailyTokens is <= 0)
        {
            problems.Add($"DailyTokens must be positive or null for unlimited (was {DailyTokens}).");
        }

        if (MonthlyCostUsd is <= 0)
        {
            problems.Add($"MonthlyCostUsd must be positive or null for unlimited (was {MonthlyCostUsd}).");
        }

        return problems;
    }
}
