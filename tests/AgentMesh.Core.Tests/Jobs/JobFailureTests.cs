using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Core.Tests.Support;
using Shouldly;
using static AgentMesh.Core.Tests.Support.JobFixture;

namespace AgentMesh.Core.Tests.Jobs;

/// <summary>Transient retries with backoff, permanent failures, and the rescue of expired leases.</summary>
public sealed class JobFailureTests
{
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    [Fact]
    public void TransientFailure_in_running_requeues_the_next_attempt_after_the_jittered_backoff()
    {
        // Attempt 1 failed: exponential 30 s, equal jitter with 0.5 → 15 s + 0.5 × 15 s = 22.5 s.
        var decision = Machine.Decide(Running(), new TransientFailure("GitHub answered 502."), T1, SequenceRandom.Always(0.5));

        var s = decision.State;
        (s.State, s.Attempt, s.RunAfter).ShouldBe((JobState.Queued, 2, T1.AddSeconds(22.5)));
        s.Lease.ShouldBeNull();
        s.LastError.ShouldBe(new JobError("GitHub answered 502.", ErrorClass.Transient, 1, T1));
        s.History[^1].ShouldBe(new JobTransition(JobState.Running, JobState.Queued, "TransientFailure", T1, 2));
        decision.Events.ShouldBe([new RetryScheduled(T1, 1, "GitHub answered 502.", 2, TimeSpan.FromSeconds(22.5), T1.AddSeconds(22.5))]);
    }

    [Fact]
    public void The_second_retry_waits_twice_as_long_before_jitter()
    {
        var secondAttempt = Apply(Apply(Running(), new TransientFailure("boom")), new Start("node-a/0", 2));

        // Attempt 2 failed: exponential 60 s; random 0 gives the floor of 30 s.
        var decision = Machine.Decide(secondAttempt, new TransientFailure("boom again"), T1, SequenceRandom.Always(0));

        decision.State.Attempt.ShouldBe(3);
        decision.State.RunAfter.ShouldBe(T1.AddSeconds(30));
    }

    [Fact]
    public void TransientFailure_on_the_last_attempt_fails_the_job_with_attempts_exhausted()
    {
        var lastAttempt = Running() with { Attempt = 3 };

        var decision = Machine.Decide(lastAttempt, new TransientFailure("Rate limited."), T1, MidRandom);

        var s = decision.State;
        (s.State, s.Attempt).ShouldBe((JobState.Failed, 3));
        s.Lease.ShouldBeNull();
        s.LastError.ShouldBe(new JobError("Rate limited.", ErrorClass.Transient, 3, T1));
        decision.Events.ShouldBe([new JobFailed(T1, 3, "Rate limited.", ErrorClass.Transient, AttemptsExhausted: true)]);
    }

    [Fact]
    public void TransientFailure_in_a_claimed_fix_round_waits_for_a_worker_again_in_fixing()
    {
        var decision = Machine.Decide(FixingClaimed(), new TransientFailure("Push rejected."), T1, SequenceRandom.Always(0));

        var s = decision.State;
        (s.State, s.Attempt, s.RunAfter, s.FixRounds).ShouldBe((JobState.Fixing, 2, T1.AddSeconds(15), 1));
        s.Lease.ShouldBeNull();
        decision.Events.Single().ShouldBeOfType<RetryScheduled>().NextAttempt.ShouldBe(2);
    }

    [Fact]
    public void PermanentFailure_in_running_fails_the_job_at_once()
    {
        var decision = Machine.Decide(Running(), new PermanentFailure("The agent profile does not exist."), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Failed);
        decision.State.Attempt.ShouldBe(1);
        decision.State.LastError.ShouldBe(new JobError("The agent profile does not exist.", ErrorClass.Permanent, 1, T1));
        decision.Events.ShouldBe([new JobFailed(T1, 1, "The agent profile does not exist.", ErrorClass.Permanent, AttemptsExhausted: false)]);
    }

    [Fact]
    public void PermanentFailure_in_a_claimed_fix_round_fails_the_job()
    {
        var decision = Machine.Decide(FixingClaimed(), new PermanentFailure("Branch protected."), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Failed);
        decision.State.PullRequest!.Number.ShouldBe(PrNumber);
    }

    [Fact]
    public void A_lost_run_requeues_the_next_attempt_at_once_since_the_node_failed_not_the_job()
    {
        var decision = Machine.Decide(Running(), new RunLost(1), T1, SequenceRandom.Always(0.5));

        var s = decision.State;
        (s.State, s.Attempt, s.RunAfter, s.Lease).ShouldBe((JobState.Queued, 2, T1, (LeaseHolder?)null));
        s.LastError.ShouldBe(new JobError("The run on worker node-a/0 was lost (fence 1).", ErrorClass.Transient, 1, T1));
        s.History[^1].Command.ShouldBe("RunLost");
        decision.Events.ShouldBe([
            new JobRunLost(T1, 1, "node-a/0"),
            new RetryScheduled(T1, 1, "The run on worker node-a/0 was lost (fence 1).", 2, TimeSpan.Zero, T1),
        ]);
    }

    [Fact]
    public void A_lost_run_on_the_last_attempt_fails_the_job()
    {
        var decision = Machine.Decide(Running() with { Attempt = 3 }, new RunLost(1), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Failed);
        decision.Events.ShouldBe([
            new JobRunLost(T1, 1, "node-a/0"),
            new JobFailed(T1, 3, "The run on worker node-a/0 was lost (fence 1).", ErrorClass.Transient, true),
        ]);
    }

    [Fact]
    public void A_lost_run_in_a_claimed_fix_round_releases_it_for_another_worker()
    {
        var decision = Machine.Decide(FixingClaimed(), new RunLost(2), T1, MidRandom);

        (decision.State.State, decision.State.Attempt).ShouldBe((JobState.Fixing, 2));
        decision.State.Lease.ShouldBeNull();
    }

    [Fact]
    public void A_lost_run_with_an_older_fence_does_not_touch_a_job_claimed_again()
    {
        // Lost at fence 1, claimed again at fence 2: a late report that fence 1 was lost must not kill the new run.
        var reclaimed = Apply(Apply(Running(), new RunLost(1)), new Start("node-b/0", 2));

        var decision = Machine.Decide(reclaimed, new RunLost(1), T1, MidRandom);

        decision.IsNoOp.ShouldBeTrue();
        decision.State.ShouldBeSameAs(reclaimed);
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void Start_after_a_retry_runs_the_next_attempt_and_a_new_claim_needs_a_newer_fence()
    {
        var retried = Apply(Running(), new TransientFailure("boom"));

        var ex = Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(retried, new Start("node-b/0", 1), T1, MidRandom));
        ex.Message.ShouldBe("Job 42 cannot handle Start while queued: fence 1 is not newer than the last claim's fence 1.");

        var decision = Machine.Decide(retried, new Start("node-b/0", 2), T1, MidRandom);
        decision.Events.ShouldBe([new JobClaimed(T1, "node-b/0", 2, 1, 2, 0)]);
    }
}
