using AgentMesh.Core.Repos;
using Shouldly;

namespace AgentMesh.Core.Tests.Repos;

/// <summary>Which of several budgets' answers admission acts on.</summary>
public sealed class TokenBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 30, 0, TimeSpan.Zero);
    private static readonly AdmissionDecision.Defer NextHour = new(DeferReason.HourlyBudgetExhausted, "repo hour", Now.AddMinutes(30));
    private static readonly AdmissionDecision.Defer NextDay = new(DeferReason.DailyBudgetExhausted, "tenant day", Now.AddHours(14).AddMinutes(-30));
    private static readonly AdmissionDecision.Defer NextMonth = new(DeferReason.MonthlyCostBudgetExhausted, "tenant month", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_wider_budgets_deferral_holds_work_the_repo_would_admit()
    {
        TokenBudget.Latest(new AdmissionDecision.Admit(), null, NextDay).ShouldBe(NextDay);
        TokenBudget.Latest(new AdmissionDecision.Admit(), null, null).ShouldBe(new AdmissionDecision.Admit());
    }

    [Fact]
    public void The_deferral_whose_window_ends_last_wins_whatever_the_order()
    {
        TokenBudget.Latest(NextHour, NextMonth, NextDay).ShouldBe(NextMonth);
        TokenBudget.Latest(NextHour, NextDay, NextMonth).ShouldBe(NextMonth);
        TokenBudget.Latest(NextMonth, NextHour, NextDay).ShouldBe(NextMonth);
    }

    [Fact]
    public void On_equal_times_the_repos_own_reason_is_kept()
    {
        var tenantSameHour = NextHour with { Message = "tenant" };

        TokenBudget.Latest(NextHour, tenantSameHour).ShouldBe(NextHour);
    }

    [Fact]
    public void A_rejection_stands_over_every_deferral()
    {
        var rejected = new AdmissionDecision.Reject(RejectReason.Disabled, "off");

        TokenBudget.Latest(rejected, NextMonth).ShouldBe(rejected);
    }

    [Fact]
    public void Summed_usage_follows_the_same_rule_as_a_ledger()
    {
        var ledger = BudgetLedger.Empty.Record(700, Now);

        TokenBudget.Check(500, 1_000, usedThisHour: 700, usedToday: 700, Now).ShouldBe(TokenBudget.Check(500, 1_000, ledger, Now));
        TokenBudget.Check(null, 1_000, usedThisHour: 0, usedToday: 1_000, Now, scope: "tenant acme's ")!.Message
            .ShouldBe("The tenant acme's daily token budget (1000) is spent; work resumes at 2026-11-22 00:00:00Z.");
    }
}
