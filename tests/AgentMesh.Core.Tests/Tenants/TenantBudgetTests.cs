using AgentMesh.Core.Repos;
using AgentMesh.Core.Tenants;
using Shouldly;

namespace AgentMesh.Core.Tests.Tenants;

/// <summary>The tenant budget's admission rule: at or over a limit defers to the end of its UTC window, naming the tenant.</summary>
public sealed class TenantBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Spent_daily_tokens_defer_to_the_next_utc_midnight_naming_the_tenant()
    {
        var budget = new TenantBudget(DailyTokens: 1_000, MonthlyCostUsd: null);

        budget.Check("acme", new TenantUsage(1_000, 0m), Now).ShouldBe(new AdmissionDecision.Defer(
            DeferReason.DailyBudgetExhausted,
            "The tenant acme's daily token budget (1000) is spent; work resumes at 2026-11-22 00:00:00Z.",
            new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)));
        budget.Check("acme", new TenantUsage(999, 1_000_000m), Now).ShouldBeNull("no cost limit is set, and 999 tokens are under 1000");
    }

    [Fact]
    public void A_spent_monthly_cost_defers_to_the_first_of_the_next_utc_month_naming_the_tenant()
    {
        var budget = new TenantBudget(DailyTokens: null, MonthlyCostUsd: 50m);

        budget.Check("acme", new TenantUsage(0, 50m), Now).ShouldBe(new AdmissionDecision.Defer(
            DeferReason.MonthlyCostBudgetExhausted,
            "The tenant acme's monthly cost budget ($50.00) is spent; work resumes at 2026-12-01 00:00:00Z.",
            new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        budget.Check("acme", new TenantUsage(long.MaxValue, 49.999999m), Now).ShouldBeNull("no token limit is set, and $49.999999 is under $50");
    }

    [Fact]
    public void December_rolls_over_to_january_of_the_next_year()
    {
        var newYearsEve = new DateTimeOffset(2026, 12, 31, 23, 59, 0, TimeSpan.Zero);

        new TenantBudget(null, 2.5m).Check("acme", new TenantUsage(0, 3m), newYearsEve)!.RetryAt
            .ShouldBe(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void When_both_are_spent_the_month_decides_since_the_day_turning_over_would_not_help()
    {
        new TenantBudget(DailyTokens: 10, MonthlyCostUsd: 1m).Check("acme", new TenantUsage(10, 1m), Now)!.Reason
            .ShouldBe(DeferReason.MonthlyCostBudgetExhausted);
    }

    [Fact]
    public void An_unlimited_tenant_is_never_deferred()
    {
        TenantBudget.Unlimited.Check("acme", new TenantUsage(long.MaxValue, decimal.MaxValue), Now).ShouldBeNull();
    }

    [Fact]
    public void The_month_starts_at_utc_midnight_of_the_first_whatever_the_offset_given()
    {
        TenantBudget.MonthStart(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.FromHours(3)))
            .ShouldBe(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    }
}
