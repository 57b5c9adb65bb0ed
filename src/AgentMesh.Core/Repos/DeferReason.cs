namespace AgentMesh.Core.Repos;

/// <summary>Why an event waits: it will be admitted later, when the budget window turns over or a slot frees.</summary>
public enum DeferReason
{
    DailyBudgetExhausted,
    HourlyBudgetExhausted,
    ConcurrencyLimit,

    /// <summary>A tenant's dollars for the UTC calendar month are spent.</summary>
    MonthlyCostBudgetExhausted,
}
