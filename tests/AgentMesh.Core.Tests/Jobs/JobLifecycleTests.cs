using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Core.Tests.Support;
using Shouldly;
using static AgentMesh.Core.Tests.Support.JobFixture;

namespace AgentMesh.Core.Tests.Jobs;

/// <summary>The happy path and the clarification and fix-round loops, one legal transition per test.</summary>
public sealed class JobLifecycleTests
{
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    [Fact]
    public void Create_queues_the_job_runnable_now_with_the_configured_attempts()
    {
        var decision = Machine.Create(new JobSpec(JobId, "acme/widgets", IssueNumber, JobKind.SolveIssue, 2), T0);

        var s = decision.State;
        (s.State, s.Run, s.Attempt, s.MaxAttempts, s.MaxFixRounds, s.FixRounds).ShouldBe((JobState.Queued, 1, 1, 3, 2, 0));
        (s.RunAfter, s.CreatedAt, s.UpdatedAt).ShouldBe((T0, T0, T0));
        s.Lease.ShouldBeNull();
        s.PullRequest.ShouldBeNull();
        s.History.ShouldBeEmpty();
        decision.Events.ShouldBe([new JobCreated(T0, "acme/widgets", IssueNumber, JobKind.SolveIssue, 3, 2)]);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("acme/")]
    [InlineData("/widgets")]
    [InlineData("acme/widgets/extra")]
    [InlineData("acme/wid gets")]
    public void Create_refuses_a_repo_that_is_not_owner_slash_name(string repo)
    {
        var ex = Should.Throw<ArgumentException>(() => Machine.Create(new JobSpec("1", repo, 1, JobKind.SolveIssue, 0), T0));
        ex.Message.ShouldStartWith($"Repo must be \"owner/name\" (was \"{repo}\").");
    }

    [Fact]
    public void Create_requires_the_pull_request_for_a_fix_job_and_refuses_one_for_a_solve_job()
    {
        Should.Throw<ArgumentException>(() => Machine.Create(new JobSpec("1", "a/b", 5, JobKind.FixPullRequest, 0), T0))
            .Message.ShouldStartWith("A FixPullRequest job needs its pull request link, with the job's number.");
        Should.Throw<ArgumentException>(() => Machine.Create(new JobSpec("1", "a/b", 5, JobKind.SolveIssue, 0, new PullRequestLink(5, "u", "b")), T0))
            .Message.ShouldStartWith("A SolveIssue job starts without a pull request.");
    }

    [Fact]
    public void Start_in_queued_runs_the_job_under_the_workers_lease()
    {
        var queued = Queued() with { Usage = new JobUsage(new UsageTotals(new TokenUsage(1, 1, 1, 1), 1m), new UsageTotals(new TokenUsage(1, 1, 1, 1), 1m)) };

        var decision = Machine.Decide(queued, new Start("node-a/0", 5), T1, MidRandom);

        var s = decision.State;
        s.State.ShouldBe(JobState.Running);
        s.Lease.ShouldBe(new LeaseHolder("node-a/0", 5, T1));
        s.LastFence.ShouldBe(5);
        s.Usage.ThisAttempt.ShouldBe(UsageTotals.Zero);
        s.Usage.Total.CostUsd.ShouldBe(1m);
        s.History.ShouldBe([new JobTransition(JobState.Queued, JobState.Running, "Start", T1, 1)]);
        decision.Events.ShouldBe([new JobClaimed(T1, "node-a/0", 5, 1, 1, 0)]);
    }

    [Fact]
    public void ReportPrReady_in_running_records_the_summary_and_keeps_running()
    {
        var decision = Machine.Decide(Running(), new ReportPrReady("Adds retry to the HTTP client."), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Running);
        decision.State.PrReadySummary.ShouldBe("Adds retry to the HTTP client.");
        decision.State.Lease.ShouldNotBeNull();
        decision.Events.ShouldBe([new PrReadyReported(T1, "Adds retry to the HTTP client.")]);
    }

    [Fact]
    public void PrOpened_in_running_links_the_pr_and_releases_the_lease()
    {
        var decision = Machine.Decide(Running(), new PrOpened(PrNumber, PrUrl, Branch), T1, MidRandom);

        var s = decision.State;
        s.State.ShouldBe(JobState.PrOpened);
        s.PullRequest.ShouldBe(new PullRequestLink(PrNumber, PrUrl, Branch));
        s.Lease.ShouldBeNull();
        s.History[^1].ShouldBe(new JobTransition(JobState.Running, JobState.PrOpened, "PrOpened", T1, 1));
        decision.Events.ShouldBe([new PullRequestLinked(T1, PrNumber, PrUrl, Branch)]);
    }

    [Fact]
    public void ReportNeedsClarification_in_running_waits_for_a_reply_without_a_lease()
    {
        var decision = Machine.Decide(Running(), new ReportNeedsClarification(["Which database?", "Keep the old API?"]), T1, MidRandom);

        var s = decision.State;
        s.State.ShouldBe(JobState.WaitingForReply);
        s.Lease.ShouldBeNull();
        s.Clarification!.Questions.ShouldBe(["Which database?", "Keep the old API?"]);
        s.Clarification.AskedAt.ShouldBe(T1);
        s.Clarification.Answer.ShouldBeNull();
        decision.Events.Single().ShouldBeOfType<ClarificationRequested>().Questions.ShouldBe(["Which database?", "Keep the old API?"]);
    }

    [Fact]
    public void ReplyReceived_in_waiting_for_reply_queues_the_job_now_with_the_answer()
    {
        var decision = Machine.Decide(WaitingForReply(), new ReplyReceived("alice", "PostgreSQL."), T1, MidRandom);

        var s = decision.State;
        s.State.ShouldBe(JobState.Queued);
        s.RunAfter.ShouldBe(T1);
        s.Attempt.ShouldBe(1);
        s.Clarification!.Answer.ShouldBe(new ClarificationAnswer("alice", "PostgreSQL.", T1));
        decision.Events.ShouldBe([new ReplyAccepted(T1, "alice", "PostgreSQL.")]);
    }

    [Fact]
    public void The_pushed_checkpoint_outlives_a_retry_of_its_run_and_not_a_rerun()
    {
        var pushed = Apply(Running(), new ReportPrReady("Added it."));

        var retried = Apply(Apply(pushed, new TransientFailure("GitHub answered 502.")), new Start("node-a/0", 2));
        var rerun = Apply(Apply(retried, new Stop("alice")), new Rerun("alice"));

        pushed.Pushed.ShouldBe(new PushedWork(1, "Added it.", T0));
        retried.PrReadySummary.ShouldBeNull();
        retried.Pushed.ShouldBe(pushed.Pushed, "the retry resumes at the pull request");
        (retried.State, retried.Attempt).ShouldBe((JobState.Running, 2));
        rerun.Pushed.ShouldBeNull("a re-run starts from the issue");
    }

    [Fact]
    public void ReviewFeedback_in_pr_opened_starts_a_fix_round_with_fresh_attempts()
    {
        var prOpened = PrOpened() with { Attempt = 2 };

        var decision = Machine.Decide(prOpened, new ReviewFeedback("alice", "Rename the method."), T1, MidRandom);

        var s = decision.State;
        (s.State, s.FixRounds, s.Attempt).ShouldBe((JobState.Fixing, 1, 1));
        s.RunAfter.ShouldBe(T1 + Machine.Options.ReviewSettleDelay, "the rest of the review gets time to arrive before a worker takes the round");
        s.Lease.ShouldBeNull();
        s.FixFeedback.ShouldBe(new ReviewFeedbackNote("alice", "Rename the method.", T1));
        s.History[^1].ShouldBe(new JobTransition(JobState.PrOpened, JobState.Fixing, "ReviewFeedback", T1, 1));
        s.PullRequest!.Number.ShouldBe(PrNumber);
        decision.Events.ShouldBe([new FixRoundStarted(T1, 1, "alice", "Rename the method.")]);
    }

    [Fact]
    public void ReviewFeedback_after_the_last_fix_round_is_declined_and_the_pr_stays_open()
    {
        var exhausted = PrOpened(maxFixRounds: 1) with { FixRounds = 1 };

        var decision = Machine.Decide(exhausted, new ReviewFeedback("alice", "One more thing."), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.PrOpened);
        decision.State.FixRounds.ShouldBe(1);
        decision.Events.ShouldBe([new ReviewFeedbackDeclined(T1, "alice", "One more thing.", 1, 1)]);
    }

    [Fact]
    public void MaxFixRounds_zero_declines_every_review()
    {
        var decision = Machine.Decide(PrOpened(maxFixRounds: 0), new ReviewFeedback("alice", "Fix it."), T1, MidRandom);

        decision.Events.Single().ShouldBeOfType<ReviewFeedbackDeclined>().MaxFixRounds.ShouldBe(0);
    }

    [Fact]
    public void Start_in_an_unclaimed_fix_round_claims_it_and_stays_fixing()
    {
        var decision = Machine.Decide(FixingUnclaimed(), new Start("node-b/1", 2), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Fixing);
        decision.State.Lease.ShouldBe(new LeaseHolder("node-b/1", 2, T1));
        decision.State.History[^1].ShouldBe(new JobTransition(JobState.Fixing, JobState.Fixing, "Start", T1, 1));
        decision.Events.ShouldBe([new JobClaimed(T1, "node-b/1", 2, 1, 1, 1)]);
    }

    [Fact]
    public void FixPushed_in_a_claimed_fix_round_returns_to_pr_opened()
    {
        var decision = Machine.Decide(FixingClaimed(), new FixPushed(), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.PrOpened);
        decision.State.Lease.ShouldBeNull();
        decision.State.FixRounds.ShouldBe(1);
        decision.Events.ShouldBe([new FixRoundPushed(T1, 1)]);
    }

    [Fact]
    public void A_second_review_after_a_pushed_round_starts_round_two()
    {
        var afterRound1 = Apply(FixingClaimed(), new FixPushed());

        var decision = Machine.Decide(afterRound1, new ReviewFeedback("bob", "Add a test."), T1, MidRandom);

        decision.State.FixRounds.ShouldBe(2);
        decision.Events.ShouldBe([new FixRoundStarted(T1, 2, "bob", "Add a test.")]);
    }

    [Fact]
    public void The_rest_of_a_review_arriving_before_a_worker_takes_the_round_joins_its_notes()
    {
        var round = Apply(PrOpened(), new ReviewFeedback("alice", "Rename the method.", ReviewId: 9001));

        var decision = Machine.Decide(round, new ReviewFeedback("alice", "On a.cs line 3: this too.", ReviewId: 9001), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Fixing);
        decision.State.FixRounds.ShouldBe(1);
        decision.State.FixFeedback!.Text.ShouldBe("Rename the method.\n\nOn a.cs line 3: this too.");
        decision.State.Mailbox.ShouldBeEmpty("feedback is never sent into an agent as chat");
        decision.Events.ShouldBe([new ReviewFeedbackGathered(T1, "alice", "On a.cs line 3: this too.", 9001, "round")]);
    }

    [Fact]
    public void The_rest_of_the_same_review_arriving_while_the_agent_works_is_noted_and_starts_no_round()
    {
        var working = Apply(Apply(PrOpened(), new ReviewFeedback("alice", "Rename the method.", ReviewId: 9001)), new Start("node-b/1", 2));

        var gathered = Apply(working, new ReviewFeedback("alice", "On a.cs line 3: this too.", ReviewId: 9001));
        var pushed = Machine.Decide(gathered, new FixPushed(), T1, MidRandom);

        gathered.Mailbox.ShouldBeEmpty();
        gathered.PendingFeedback.ShouldBeNull();
        pushed.State.State.ShouldBe(JobState.PrOpened);
        pushed.State.FixRounds.ShouldBe(1, "one review, one fix round");
        pushed.Events.ShouldBe([new FixRoundPushed(T1, 1)]);
    }

    [Fact]
    public void Another_review_arriving_while_the_agent_works_gets_the_next_round_once_this_one_pushed()
    {
        var working = Apply(Apply(PrOpened(), new ReviewFeedback("alice", "Rename the method.", ReviewId: 9001)), new Start("node-b/1", 2));

        var gathered = Machine.Decide(working, new ReviewFeedback("bob", "Add a test.", ReviewId: 9002), T1, MidRandom);
        var pushed = Machine.Decide(gathered.State, new FixPushed(), T1, MidRandom);

        gathered.State.Mailbox.ShouldBeEmpty();
        gathered.Events.ShouldBe([new ReviewFeedbackGathered(T1, "bob", "Add a test.", 9002, "next_round")]);
        pushed.State.State.ShouldBe(JobState.Fixing);
        pushed.State.History[^1].ShouldBe(new JobTransition(JobState.Fixing, JobState.Fixing, "FixPushed", T1, 1));
        (pushed.State.FixRounds, pushed.State.Lease, pushed.State.PendingFeedback).ShouldBe((2, (LeaseHolder?)null, (ReviewFeedbackNote?)null));
        pushed.State.FixFeedback!.Text.ShouldBe("Add a test.");
        pushed.Events.ShouldBe([new FixRoundPushed(T1, 1), new FixRoundStarted(T1, 2, "bob", "Add a test.")]);
    }

    [Fact]
    public void A_fix_job_pushes_to_its_existing_pr_and_then_follows_it()
    {
        var running = Apply(QueuedFixJob(), new Start("node-a/0", 1));

        var decision = Machine.Decide(running, new FixPushed(), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.PrOpened);
        decision.State.PullRequest.ShouldBe(new PullRequestLink(PrNumber, PrUrl, "feature/x"));
        decision.Events.ShouldBe([new FixRoundPushed(T1, 0)]);
    }
}
