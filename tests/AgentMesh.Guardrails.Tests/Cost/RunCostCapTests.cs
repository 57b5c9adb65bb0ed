using AgentMesh.Core.Jobs;
using AgentMesh.Guardrails.Cost;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Cost;

public sealed class RunCostCapTests
{
    [Fact]
    public void Below_the_cap_the_run_goes_on_and_at_the_cap_it_stops_with_the_figures()
    {
        var cap = new RunCostCap(MaxUsd: 2.00m);
        var spend = RunSpend.Zero.AddTokens(new TokenUsage(10_000, 2_000, 50_000, 0)).ReportCost("s1", 1.2345m);

        cap.Check(spend).Reached.ShouldBeFalse();
        cap.Check(spend).CommentText().ShouldBe("");

        spend = spend.AddTokens(new TokenUsage(20_000, 4_000, 0, 1_000)).ReportCost("s1", 2.00m);
        var verdict = cap.Check(spend);

        verdict.Reached.ShouldBeTrue();
        verdict.UsdReached.ShouldBeTrue();
        verdict.TokensReached.ShouldBeFalse();
        verdict.CommentText().ShouldBe(
            "AgentMesh stopped this run: it reached its cost cap per run. It spent $2.00 of $2.00 and 87,000 tokens. "
            + "The dollar limit was reached. A maintainer can raise the cap (MaxRunCostUsd, MaxRunTokens) and re-run the job.");
    }

    [Fact]
    public void Token_reports_add_up_and_the_token_limit_stops_the_run()
    {
        var cap = new RunCostCap(MaxTokens: 100_000);
        var spend = RunSpend.Zero;
        for (var turn = 0; turn < 9; turn++)
        {
            spend = spend.AddTokens(new TokenUsage(10_000, 1_000, 0, 0));
        }

        cap.Check(spend).Reached.ShouldBeFalse();
        spend = spend.AddTokens(new TokenUsage(1_000, 0, 0, 0));
        var verdict = cap.Check(spend);

        verdict.TokensReached.ShouldBeTrue();
        verdict.CommentText().ShouldBe(
            "AgentMesh stopped this run: it reached its cost cap per run. It spent $0.00 and 100,000 tokens of 100,000. "
            + "The token limit was reached. A maintainer can raise the cap (MaxRunCostUsd, MaxRunTokens) and re-run the job.");
    }

    [Fact]
    public void Cost_reports_replace_within_a_session_and_add_across_sessions()
    {
        var spend = RunSpend.Zero
            .ReportCost("first", 0.40m)
            .ReportCost("first", 0.90m)
            .ReportCost("first", 0.85m)       // late and smaller: ignored
            .ReportCost("fallback", 0.10m)    // the fallback profile's session starts from zero
            .ReportCost(null, 0.30m);         // no session id: the current one

        spend.Usd.ShouldBe(1.20m);
        new RunCostCap(MaxUsd: 1.20m).Check(spend).CommentText().ShouldContain("It spent $1.20 of $1.20");
    }

    [Fact]
    public void Both_limits_reached_are_both_said_and_small_sums_keep_their_digits()
    {
        var spend = RunSpend.Zero.AddTokens(new TokenUsage(500, 0, 0, 0)).ReportCost("s", 0.0042m);

        var verdict = new RunCostCap(MaxUsd: 0.004m, MaxTokens: 500).Check(spend);

        verdict.CommentText().ShouldBe(
            "AgentMesh stopped this run: it reached its cost cap per run. It spent $0.0042 of $0.004 and 500 tokens of 500. "
            + "Both limits were reached. A maintainer can raise the cap (MaxRunCostUsd, MaxRunTokens) and re-run the job.");
    }

    [Fact]
    public void No_cap_never_stops_a_run()
    {
        var spend = RunSpend.Zero.AddTokens(new TokenUsage(long.MaxValue / 8, 0, 0, 0)).ReportCost("s", 1_000_000m);

        RunCostCap.None.Check(spend).Reached.ShouldBeFalse();
    }

    [Fact]
    public void Invalid_caps_and_reports_are_refused_with_the_setting_named()
    {
        new RunCostCap(0m, -1).Validate().ShouldBe(
        [
            "MaxRunCostUsd must be positive or null for no limit (was 0).",
            "MaxRunTokens must be positive or null for no limit (was -1).",
        ]);
        new RunCostCap(5m, 1_000_000).Validate().ShouldBeEmpty();
        Should.Throw<ArgumentOutOfRangeException>(() => RunSpend.Zero.AddTokens(new TokenUsage(-1, 0, 0, 0)));
        Should.Throw<ArgumentOutOfRangeException>(() => RunSpend.Zero.ReportCost("s", -0.01m));
    }
}
