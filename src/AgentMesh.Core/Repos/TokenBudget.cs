namespace AgentMesh.Core.Repos;

/// <summary>
/// The budget rule shared by a repo's budgets and the node-wide ones: spent when the current UTC
/// hour or day reached its limit; work resumes when that window ends.
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
        // Daily first: when both are spent, the hour turning over would not help, the day does.
        if (daily is { } dailyLimit && ledger.UsedToday(now) >= dailyLimit)
        {
            var retryAt = BudgetLedger.DayStart(now).AddDays(1);
            return new AdmissionDecision.Defer(
                DeferReason.DailyBudgetExhausted,
                $"The {scope}daily token budget ({dailyLimit}) is spent; work resumes at {retryAt:u}.",
                retryAt);
        }

        if (hourly is { } hourlyLimit && ledger.UsedThisHour(now) >= hourlyLimit)
        {
            var retryAt = BudgetLedger.HourStart(now).AddHours(1);
            return new AdmissionDecision.Defer(
                DeferReason.HourlyBudgetExhausted,
                $"The {scope}hourly token budget ({hourlyLimit}) is spent; work resumes at {retryAt:u}.",
                retryAt);
        }

        return null;
    }
}
