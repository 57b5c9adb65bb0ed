using AgentMesh.Core.Jobs;
using AgentMesh.Dashboard.Jobs;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests;

public sealed class BoardMovesTests
{
    [Theory]
    [InlineData(JobState.Failed, JobState.Queued, BoardMoveAction.Retry)]
    [InlineData(JobState.Stopped, JobState.Queued, BoardMoveAction.Retry)]
    [InlineData(JobState.Running, JobState.Stopped, BoardMoveAction.Stop)]
    [InlineData(JobState.WaitingForReply, JobState.Closed, BoardMoveAction.Close)]
    [InlineData(JobState.Queued, JobState.Closed, BoardMoveAction.Close)]
    public void A_person_can_re_run_stop_or_close(JobState from, JobState to, BoardMoveAction action) =>
        BoardMoves.Decide(Card(from), to).Action.ShouldBe(action);

    [Theory]
    [InlineData(JobState.Running, JobState.Queued, "Only a failed or stopped job can be re-queued; octo/widgets#4 is running.")]
    [InlineData(JobState.Merged, JobState.Closed, "octo/widgets#4 is merged, which is final: re-queue it first.")]
    [InlineData(JobState.Failed, JobState.Stopped, "octo/widgets#4 is failed, which is final: there is nothing to stop.")]
    [InlineData(JobState.Queued, JobState.Running, "A job becomes running through its agent or GitHub, not by hand; the board can re-queue, stop or close.")]
    [InlineData(JobState.Queued, JobState.Merged, "A job becomes merged through its agent or GitHub, not by hand; the board can re-queue, stop or close.")]
    [InlineData(JobState.Failed, JobState.Failed, "octo/widgets#4 is already failed.")]
    public void Other_moves_are_refused_with_the_reason(JobState from, JobState to, string reason)
    {
        var move = BoardMoves.Decide(Card(from), to);

        move.Allowed.ShouldBeFalse();
        move.Reason.ShouldBe(reason);
    }

    [Fact]
    public void The_close_confirmation_says_the_GitHub_issue_is_closed_too() =>
        BoardMoves.Decide(Card(JobState.Queued), JobState.Closed).Reason.ShouldBe("Close octo/widgets#4: the job ends, then its issue is closed on GitHub.");

    private static JobCard Card(JobState state) =>
        new("j1", "octo/widgets", 4, "solve_issue", state, 1, 3, 1, 0, 0m, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1);
}
