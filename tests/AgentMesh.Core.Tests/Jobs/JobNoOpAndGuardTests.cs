using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Tests.Support;
using Shouldly;
using static AgentMesh.Core.Tests.Support.JobFixture;

namespace AgentMesh.Core.Tests.Jobs;

/// <summary>The documented no-ops (same state instance, no events) and the guards inside otherwise legal states.</summary>
public sealed class JobNoOpAndGuardTests
{
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    public static TheoryData<string, JobCommand> NoOps => new()
    {
        { "stopped", new RunLost(1) },
        { "closed", new RunLost(1) },
        { "queued", new RunLost(1) },
        { "running", new RunLost(999) },
        { "pr_opened", new IssueClosed() },
        { "fixing (claimed)", new IssueClosed() },
        { "merged", new IssueClosed() },
        { "stopped", new IssueClosed() },
        { "merged", new Merged() },
        { "closed", new PrClosedWithoutMerge() },
        { "stopped", new Stop("bob") },
        { "pr_opened", new PrOpened(PrNumber, PrUrl, Branch) },
        { "running", new MarkMessagesDelivered([5, 6]) },
        { "failed", new RecordUsage(TokenUsage.Zero, 0m) },
    };

    [Theory]
    [MemberData(nameof(NoOps))]
    public void Documented_no_ops_return_the_same_state_and_no_events(string label, JobCommand command)
    {
        var before = AllStates.Single(s => s.Label == label).Make();

        var decision = Machine.Decide(before, command, T1, MidRandom);

        decision.IsNoOp.ShouldBeTrue();
        decision.State.ShouldBeSameAs(before);
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void The_rescuer_never_revives_a_stopped_job_even_with_the_fence_it_last_saw()
    {
        var stoppedWhileRunning = Apply(Running(), new Stop("alice"));

        var decision = Machine.Decide(stoppedWhileRunning, new RunLost(1), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Stopped);
        decision.IsNoOp.ShouldBeTrue();
    }

    [Fact]
    public void Start_on_a_claimed_fix_round_names_the_worker_holding_it()
    {
        var ex = Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(FixingClaimed(), new Start("node-c/0", 9), T1, MidRandom));

        ex.Message.ShouldBe("Job 42 cannot handle Start while fixing: worker node-b/1 already holds it.");
        (ex.JobId, ex.State, ex.Command).ShouldBe(("42", JobState.Fixing, "Start"));
    }

    [Fact]
    public void PrOpened_with_another_number_while_following_a_pr_is_refused()
    {
        var ex = Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(PrOpened(), new PrOpened(109, "u", "b"), T1, MidRandom));

        ex.Message.ShouldBe("Job 42 cannot handle PrOpened while pr_opened: it already follows PR #108, not #109.");
    }

    [Fact]
    public void A_fix_job_cannot_be_linked_to_another_pr()
    {
        var running = Apply(QueuedFixJob(), new Start("node-a/0", 1));

        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(running, new PrOpened(5, "u", "b"), T1, MidRandom))
            .Message.ShouldBe("Job 42 cannot handle PrOpened while running: it works on PR #108, not #5.");
    }

    [Fact]
    public void IssueClosed_for_a_fix_job_is_a_no_op_as_its_pr_decides()
    {
        var queued = QueuedFixJob();

        Machine.Decide(queued, new IssueClosed(), T1, MidRandom).State.ShouldBeSameAs(queued);
    }

    [Fact]
    public void IsClaimable_holds_for_queued_and_unclaimed_fix_rounds_once_the_backoff_has_passed()
    {
        var retried = Apply(Running(), new TransientFailure("x"), T1);

        retried.IsClaimable(retried.RunAfter.AddTicks(-1)).ShouldBeFalse();
        retried.IsClaimable(retried.RunAfter).ShouldBeTrue();
        FixingUnclaimed().IsClaimable(T1).ShouldBeTrue();
        FixingClaimed().IsClaimable(T1).ShouldBeFalse();
        Running().IsClaimable(T1).ShouldBeFalse();
        WaitingForReply().IsClaimable(T1).ShouldBeFalse();
        Stopped().IsClaimable(T1).ShouldBeFalse();
    }

    [Fact]
    public void FixPushed_from_a_solve_job_in_running_is_refused()
    {
        var ex = Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(Running(), new FixPushed(), T1, MidRandom));

        ex.Message.ShouldBe("Job 42 cannot handle FixPushed while running: only a FixPullRequest job pushes to an existing branch; this job opens a PR.");
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("running")]
    [InlineData("waiting_for_reply")]
    public void Merged_and_PrClosedWithoutMerge_need_a_pull_request(string label)
    {
        var state = AllStates.Single(s => s.Label == label).Make();

        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(state, new Merged(), T1, MidRandom))
            .Message.ShouldBe($"Job 42 cannot handle Merged while {label}: the job has no pull request.");
        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(state, new PrClosedWithoutMerge(), T1, MidRandom))
            .Message.ShouldBe($"Job 42 cannot handle PrClosedWithoutMerge while {label}: the job has no pull request.");
    }

    [Fact]
    public void Failures_in_an_unclaimed_fix_round_are_refused_as_no_worker_holds_it()
    {
        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(FixingUnclaimed(), new TransientFailure("x"), T1, MidRandom))
            .Message.ShouldBe("Job 42 cannot handle TransientFailure while fixing: no worker holds the fix round.");
        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(FixingUnclaimed(), new FixPushed(), T1, MidRandom))
            .Message.ShouldBe("Job 42 cannot handle FixPushed while fixing: no worker holds the fix round.");
    }

    [Fact]
    public void ReportNeedsClarification_without_questions_is_refused()
    {
        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(Running(), new ReportNeedsClarification([]), T1, MidRandom))
            .Message.ShouldBe("Job 42 cannot handle ReportNeedsClarification while running: it needs at least one question, and no blank ones.");
    }

    [Fact]
    public void Rerun_of_a_running_job_says_only_a_finished_job_can_be_rerun()
    {
        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(Running(), new Rerun("bob"), T1, MidRandom))
            .Message.ShouldBe("Job 42 cannot handle Rerun while running: only a finished job can be re-run.");
    }

    [Fact]
    public void A_refused_command_leaves_the_state_untouched()
    {
        var before = PrOpened();
        var json = System.Text.Json.JsonSerializer.Serialize(before, CoreJson.Options);

        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(before, new ReplyReceived("a", "b"), T1, MidRandom))
            .Message.ShouldBe("Job 42 cannot handle ReplyReceived while pr_opened.");

        System.Text.Json.JsonSerializer.Serialize(before, CoreJson.Options).ShouldBe(json);
    }
}
