namespace AgentMesh.Core.Repos;

/// <summary>
/// The budget rule shared by a repo's budgets, the node-wide ones and a tenant's: spent when the
/// current UTC hour or day reached its limit; work resumes when that window ends.
/// </summary>
public static class TokenBudget
{
    /// <summary>
    /// The deferral when <paramref name="ledger"/> has spent a budget at <paramref name="now"/>, else null.
    /// <paramref name="scope"/> prefixes the message ("" for a repo, "global " for the node-wide budget).
    /// </summary>
    public static AdmissionDecision.Defer? Check(long? hourly, long? daily, BudgetLedger ledger, DateTimeOffset now, string scope = "")
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return Check(hourly, daily, ledger.UsedThisHour(now), ledger.UsedToday(now), now, scope);
    }

    /// <summary>
    /// The same rule over tokens already summed for the hour and the day containing <paramref name="now"/>,
    /// for spending that is spread over several ledgers (a tenant's repos).
    /// </summary>
    public static AdmissionDecision.Defer? Check(long? hourly, long? daily, long usedThisHour, long usedToday, DateTimeOffset now, string scope = "")
    {
        ArgumentNullException.ThrowIfNull(scope);
        // Daily first: when both are spent, the hour turning over would not help, the day does.
        if (daily is { } dailyLimit && usedToday >= dailyLimit)
        {
            var retryAt = BudgetLedger.DayStart(now).AddDays(1);
            return new AdmissionDecision.Defer(
                DeferReason.DailyBudgetExhausted,
                $"The {scope}daily token budget ({dailyLimit}) is spent; work resumes at {retryAt:u}.",
                retryAt);
        }

        if (hourly is { } hourlyLimit && usedThisHour >= hourlyLimit)
        {
            var retryAt = BudgetLedger.HourStart(now).AddHours(1);
            return new AdmissionDecision.Defer(
                DeferReason.HourlyBudgetExhausted,
                $"The {scope}hourly token budget ({hourlyLimit}) is spent; work resumes at {retryAt:u}.",
                retryAt);
        }

        return null;
    }

    /// <summary>
    /// Of <paramref name="decision"/> (the repo's own) and the deferrals of wider budgets, the one to act on:
    /// a rejection stands; otherwise the deferral whose window ends last, since work cannot start before every
    /// spent budget frees. Among equal times the earlier argument wins, so the repo's own reason is kept.
    /// </summary>
    public static AdmissionDecision Latest(AdmissionDecision decision, params AdmissionDecision.Defer?[] wider)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(wider);
        if (decision is AdmissionDecision.Reject)
        {
            return decision;
        }
        foreach (var defer in wider)
        {
            if (defer is not null && (decision is not AdmissionDecision.Defer current || defer.RetryAt > current.RetryAt))
            {
                decision = defer;
            }
        }
        return decision;
    }
}
