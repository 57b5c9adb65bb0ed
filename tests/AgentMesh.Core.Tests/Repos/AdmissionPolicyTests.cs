using AgentMesh.Core.Repos;
using Shouldly;

namespace AgentMesh.Core.Tests.Repos;

/// <summary>One test per reason an event is admitted, rejected or deferred.</summary>
public sealed class AdmissionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 20, 0, TimeSpan.Zero);
    private static readonly AdmissionPolicy Policy = new(new AdmissionOptions());

    private static readonly RepoConfig Config = new()
    {
        Enabled = true,
        AutoSolve = true,
        TriggerLabel = "agentmesh",
        TriggerMention = "@agentmesh",
        MaxConcurrentJobs = 2,
    };

    private static readonly TriggerFacts Labeled = new(
        TriggerKind.IssueLabeled, "alice", AuthorHasWritePermission: true, ["bug", "agentmesh"], "agentmesh", null, false, RunningJobs: 0);

    private static AdmissionDecision Decide(RepoConfig? config = null, TriggerFacts? facts = null, BudgetLedger? ledger = null) =>
        Policy.Decide(config ?? Config, ledger ?? BudgetLedger.Empty, facts ?? Labeled, Now);

    [Fact]
    public void The_trigger_label_from_a_writer_is_admitted()
    {
        Decide().ShouldBe(new AdmissionDecision.Admit());
    }

    [Fact]
    public void A_disabled_repo_rejects_everything()
    {
        Decide(Config with { Enabled = false }).ShouldBe(new AdmissionDecision.Reject(RejectReason.Disabled, "AgentMesh is disabled for this repository."));
    }

    [Fact]
    public void The_bots_own_comment_is_rejected_even_with_the_mention()
    {
        var facts = Labeled with { Kind = TriggerKind.CommentMention, CommentBody = "@agentmesh done", IsBotOwnComment = true };

        Decide(facts: facts).ShouldBe(new AdmissionDecision.Reject(RejectReason.BotOwnComment, "The event is AgentMesh's own comment."));
    }

    [Fact]
    public void Without_an_allow_list_an_author_without_write_permission_is_rejected()
    {
        Decide(facts: Labeled with { Author = "mallory", AuthorHasWritePermission = false })
            .ShouldBe(new AdmissionDecision.Reject(RejectReason.AuthorNotAllowed, "mallory does not have write permission on the repository."));
    }

    [Fact]
    public void With_an_allow_list_only_listed_logins_are_admitted_whatever_their_permission()
    {
        var config = Config with { AllowedUsers = ["Alice", "bob"] };

        Decide(config, Labeled with { Author = "alice", AuthorHasWritePermission = false }).ShouldBe(new AdmissionDecision.Admit());
        Decide(config, Labeled with { Author = "carol", AuthorHasWritePermission = true })
            .ShouldBe(new AdmissionDecision.Reject(RejectReason.AuthorNotAllowed, "carol is not in the repository's allowed users."));
    }

    [Fact]
    public void A_new_issue_is_rejected_when_auto_solve_is_off_and_admitted_when_on()
    {
        var opened = Labeled with { Kind = TriggerKind.IssueOpened, AddedLabel = null, Labels = [] };

        Decide(Config with { AutoSolve = false }, opened)
            .ShouldBe(new AdmissionDecision.Reject(RejectReason.AutoSolveOff, "Auto-solve is off: a new issue needs the trigger label or mention."));
        Decide(Config, opened).ShouldBe(new AdmissionDecision.Admit());
    }

    [Fact]
    public void A_label_other_than_the_trigger_is_rejected_case_insensitively_matched()
    {
        Decide(facts: Labeled with { AddedLabel = "bug" })
            .ShouldBe(new AdmissionDecision.Reject(RejectReason.LabelNotTrigger, "The label \"bug\" is not the trigger label \"agentmesh\"."));
        Decide(facts: Labeled with { AddedLabel = "AgentMesh" }).ShouldBe(new AdmissionDecision.Admit());
        Decide(Config with { TriggerLabel = null })
            .ShouldBe(new AdmissionDecision.Reject(RejectReason.LabelNotTrigger, "The repository has no trigger label."));
    }

    [Theory]
    [InlineData("@agentmesh please fix", true)]
    [InlineData("Hey @AgentMesh, can you?", true)]
    [InlineData("(@agentmesh)", true)]
    [InlineData("@agentmesh-bot fix", false)]
    [InlineData("mail me@agentmesh.dev", false)]
    [InlineData("agentmesh fix", false)]
    [InlineData("", false)]
    public void A_comment_is_admitted_only_when_it_mentions_the_trigger_as_a_whole_login(string body, bool admitted)
    {
        var decision = Decide(facts: Labeled with { Kind = TriggerKind.CommentMention, AddedLabel = null, CommentBody = body });

        decision.ShouldBe(admitted
            ? new AdmissionDecision.Admit()
            : new AdmissionDecision.Reject(RejectReason.MentionMissing, "The comment does not mention @agentmesh."));
    }

    [Fact]
    public void An_excluded_label_rejects_naming_the_label()
    {
        Decide(Config with { ExcludeLabels = ["wontfix", "BUG"] })
            .ShouldBe(new AdmissionDecision.Reject(RejectReason.ExcludedLabel, "The label \"bug\" excludes this issue."));
    }

    [Fact]
    public void A_missing_include_label_rejects_listing_the_required_ones()
    {
        Decide(Config with { IncludeLabels = ["good first issue", "docs"] })
            .ShouldBe(new AdmissionDecision.Reject(RejectReason.IncludeLabelMissing, "The issue has none of the required labels: good first issue, docs."));
        Decide(Config with { IncludeLabels = ["docs", "Bug"] }).ShouldBe(new AdmissionDecision.Admit());
    }

    [Fact]
    public void A_review_on_a_followed_pr_needs_no_label_or_mention()
    {
        Decide(Config with { AutoSolve = false, TriggerLabel = null, TriggerMention = null },
                Labeled with { Kind = TriggerKind.PullRequestReview, AddedLabel = null, CommentBody = "Please rename." })
            .ShouldBe(new AdmissionDecision.Admit());
    }

    [Fact]
    public void A_spent_daily_budget_defers_to_the_next_utc_midnight()
    {
        var ledger = BudgetLedger.Empty.Record(1_000, Now.AddHours(-3));

        Decide(Config with { DailyTokenBudget = 1_000, HourlyTokenBudget = 500 }, ledger: ledger).ShouldBe(new AdmissionDecision.Defer(
            DeferReason.DailyBudgetExhausted,
            "The daily token budget (1000) is spent; work resumes at 2026-11-22 00:00:00Z.",
            new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_spent_hourly_budget_defers_to_the_next_hour_and_an_earlier_hour_does_not_count()
    {
        var config = Config with { HourlyTokenBudget = 500 };

        Decide(config, ledger: BudgetLedger.Empty.Record(500, Now.AddMinutes(-5))).ShouldBe(new AdmissionDecision.Defer(
            DeferReason.HourlyBudgetExhausted,
            "The hourly token budget (500) is spent; work resumes at 2026-11-21 11:00:00Z.",
            new DateTimeOffset(2026, 11, 21, 11, 0, 0, TimeSpan.Zero)));
        Decide(config, ledger: BudgetLedger.Empty.Record(499, Now)).ShouldBe(new AdmissionDecision.Admit());
        Decide(config, ledger: BudgetLedger.Empty.Record(5_000, Now.AddMinutes(-21))).ShouldBe(new AdmissionDecision.Admit());
    }

    [Fact]
    public void At_the_concurrency_limit_the_event_is_rechecked_after_the_configured_delay()
    {
        var policy = new AdmissionPolicy(new AdmissionOptions { ConcurrencyRecheckDelay = TimeSpan.FromSeconds(45) });

        policy.Decide(Config, BudgetLedger.Empty, Labeled with { RunningJobs = 2 }, Now).ShouldBe(new AdmissionDecision.Defer(
            DeferReason.ConcurrencyLimit, "2 jobs are running, the repository's limit is 2.", Now.AddSeconds(45)));
        policy.Decide(Config, BudgetLedger.Empty, Labeled with { RunningJobs = 1 }, Now).ShouldBe(new AdmissionDecision.Admit());
    }

    [Fact]
    public void A_rejection_wins_over_a_deferral()
    {
        var ledger = BudgetLedger.Empty.Record(10, Now);

        Decide(Config with { DailyTokenBudget = 1, ExcludeLabels = ["bug"] }, Labeled with { RunningJobs = 99 }, ledger)
            .ShouldBeOfType<AdmissionDecision.Reject>().Reason.ShouldBe(RejectReason.ExcludedLabel);
    }

    [Fact]
    public void Admission_options_validate_with_an_exact_message()
    {
        new AdmissionOptions { ConcurrencyRecheckDelay = TimeSpan.Zero }.Validate().ShouldBe(["ConcurrencyRecheckDelay must be positive (was 00:00:00)."]);
        new AdmissionOptions().ConcurrencyRecheckDelay.ShouldBe(TimeSpan.FromMinutes(1));
    }
}
