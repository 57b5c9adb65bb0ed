namespace AgentMesh.Core.Tenants;

/// <summary>What a tenant's repos spent in the windows its <see cref="TenantBudget"/> limits, summed by the caller.</summary>
/// <param name="TokensToday">Tokens in the current UTC day, across the tenant's repos.</param>
/// <param name="CostThisMonthUsd">Dollars in the current UTC calendar month, across the tenant's repos.</param>
public sealed record TenantUsage(long TokensToday, decimal CostThisMonthUsd);
