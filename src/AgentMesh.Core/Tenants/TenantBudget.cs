namespace AgentMesh.Core.Tenants;

/// <summary>Limits across all of a tenant's repos; null is unlimited. Repos keep their own hourly and daily budgets too.</summary>
/// <param name="DailyTokens">Tokens per UTC day across the tenant.</param>
/// <param name="MonthlyCostUsd">Dollars per UTC calendar month across the tenant.</param>
public sealed record TenantBudget(long? DailyTokens, decimal? MonthlyCostUsd)
{
    /// <summary>No limits.</summary>
    public static TenantBudget Unlimited { get; } = new(null, null);

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
