using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using Shouldly;
using static AgentMesh.Core.Tests.Support.JobFixture;

namespace AgentMesh.Core.Tests.Jobs;

/// <summary>Work held for a maintainer's approval (protected paths): where it waits and where approval resumes it.</summary>
public sealed class JobApprovalTests
{
    [Fact]
    public void A_solve_held_for_approval_waits_without_a_worker_and_approval_queues_it_with_the_approver_recorded()
    {
        var decision = Machine.Decide(Running(), new RequestApproval("c0ffee", "Edited CI.", [".github/workflows/ci.yml"]), T0.AddMinutes(1), MidRandom);

        decision.State.State.ShouldBe(JobState.WaitingForApproval);
        decision.State.Lease.ShouldBeNull();
        decision.State.Held.ShouldBe(decision.State.Held! with { Run = 1, Commit = "c0ffee", Summary = "Edited CI.", FixRound = 0, RequestedAt = T0.AddMinutes(1), ApprovedBy = null });
        decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ApprovalRequested>().Paths.ShouldBe([".github/workflows/ci.yml"]);

        var approved = Machine.Decide(decision.State, new Approve("octo"), T0.AddMinutes(2), MidRandom);

        approved.State.State.ShouldBe(JobState.Queued);
        approved.State.RunAfter.ShouldBe(T0.AddMinutes(2));
        approved.State.Held!.ApprovedBy.ShouldBe("octo");
        approved.State.Held.IsApprovedFor(1, 0).ShouldBeTrue();
        approved.State.Held.IsApprovedFor(2, 0).ShouldBeFalse("an approval never carries over to a later run");
        approved.Events.ShouldHaveSingleItem().ShouldBe(new ApprovalGranted(T0.AddMinutes(2), "octo", 1, "c0ffee"));
    }

    [Fact]
    public void A_fix_round_held_for_approval_resumes_as_the_same_round_without_a_worker()
    {
        var held = Apply(FixingClaimed(), new RequestApproval("c0ffee", "Fixed.", [".github/workflows/ci.yml"]));
        held.Held!.FixRound.ShouldBe(1);

        var approved = Apply(held, new Approve("octo"), T0.AddHours(1));

        approved.State.ShouldBe(JobState.Fixing);
        approved.Lease.ShouldBeNull();
        approved.FixRounds.ShouldBe(1);
        approved.IsClaimable(T0.AddHours(1)).ShouldBeTrue();
    }

    [Fact]
    public void A_rerun_forgets_the_held_work_of_the_earlier_run()
    {
        var stopped = Apply(WaitingForApproval(), new Stop("octo"));

        var rerun = Apply(stopped, new Rerun("octo"));

        rerun.Held.ShouldBeNull();
        rerun.TriggeredBy.ShouldBe("octo", "the audit names who asked for the run");
    }

    [Fact]
    public void A_request_without_protected_paths_is_refused()
    {
        Should.Throw<InvalidJobTransitionException>(() => Machine.Decide(Running(), new RequestApproval("c0ffee", "x", []), T0, MidRandom))
            .Message.ShouldContain("at least one protected path");
    }
}
