using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Core.Tests.Support;
using Shouldly;
using static AgentMesh.Core.Tests.Support.JobFixture;

namespace AgentMesh.Core.Tests.Jobs;

/// <summary>Merge, close, stop and re-run.</summary>
public sealed class JobEndingTests
{
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    public static TheoryData<string> NonTerminalStates => ["queued", "running", "waiting_for_reply", "waiting_for_approval", "pr_opened", "fixing (unclaimed)", "fixing (claimed)"];

    public static TheoryData<string> TerminalStates => ["merged", "failed", "stopped", "closed"];

    private static JobActorState Make(string label) => AllStates.Single(s => s.Label == label).Make();

    [Theory]
    [InlineData("pr_opened")]
    [InlineData("fixing (unclaimed)")]
    [InlineData("fixing (claimed)")]
    public void Merged_while_following_a_pr_ends_the_job_merged(string label)
    {
        var decision = Machine.Decide(Make(label), new Merged(), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Merged);
        decision.State.Lease.ShouldBeNull();
        decision.Events.ShouldBe([new JobMerged(T1, PrNumber)]);
    }

    [Fact]
    public void Merged_for_a_queued_fix_job_ends_it_merged()
    {
        var decision = Machine.Decide(QueuedFixJob(), new Merged(), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Merged);
    }

    [Theory]
    [InlineData("pr_opened")]
    [InlineData("fixing (claimed)")]
    public void PrClosedWithoutMerge_closes_the_job(string label)
    {
        var decision = Machine.Decide(Make(label), new PrClosedWithoutMerge(), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Closed);
        decision.State.Lease.ShouldBeNull();
        decision.Events.ShouldBe([new JobClosed(T1, JobCloseReason.PullRequestClosedWithoutMerge)]);
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("running")]
    [InlineData("waiting_for_reply")]
    public void IssueClosed_before_a_pr_exists_closes_the_job(string label)
    {
        var decision = Machine.Decide(Make(label), new IssueClosed(), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Closed);
        decision.State.Lease.ShouldBeNull();
        decision.Events.ShouldBe([new JobClosed(T1, JobCloseReason.IssueClosed)]);
    }

    [Theory]
    [MemberData(nameof(NonTerminalStates))]
    public void Stop_in_any_non_terminal_state_stops_the_job_and_drops_the_lease(string label)
    {
        var before = Make(label);

        var decision = Machine.Decide(before, new Stop("alice"), T1, MidRandom);

        decision.State.State.ShouldBe(JobState.Stopped);
        decision.State.Lease.ShouldBeNull();
        decision.State.History[^1].ShouldBe(new JobTransition(before.State, JobState.Stopped, "Stop", T1, before.Attempt));
        decision.Events.ShouldBe([new JobStopped(T1, "alice", before.State)]);
    }

    [Theory]
    [MemberData(nameof(TerminalStates))]
    public void Rerun_of_a_terminal_job_queues_a_new_run_with_fresh_attempts(string label)
    {
        var before = Make(label) with { Attempt = 3, FixRounds = 2 };

        var decision = Machine.Decide(before, new Rerun("bob"), T1, MidRandom);

        var s = decision.State;
        (s.State, s.Run, s.Attempt, s.FixRounds, s.RunAfter).ShouldBe((JobState.Queued, 2, 1, 0, T1));
        (s.Lease, s.LastError, s.Clarification, s.PullRequest, s.FixFeedback, s.PrReadySummary).ShouldBe((null, null, null, null, null, null));
        s.LastFence.ShouldBe(before.LastFence);
        s.Usage.Total.ShouldBe(before.Usage.Total);
        decision.Events.ShouldBe([new JobRerun(T1, "bob", 2, before.State)]);
    }

    [Fact]
    public void Rerun_of_a_fix_job_keeps_its_pull_request()
    {
        var stopped = Apply(QueuedFixJob(), new Stop("alice"));

        var decision = Machine.Decide(stopped, new Rerun("alice"), T1, MidRandom);

        decision.State.PullRequest.ShouldBe(new PullRequestLink(PrNumber, PrUrl, "feature/x"));
    }
}
