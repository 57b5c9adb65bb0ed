using AgentMesh.Core.Jobs;

namespace AgentMesh.Dashboard.Jobs;

/// <summary>What a person's drag from one column to another means.</summary>
public enum BoardMoveAction
{
    None,
    Retry,
    Stop,
    Close,
}

/// <param name="Action">The command the move sends; <see cref="BoardMoveAction.None"/> when refused.</param>
/// <param name="Reason">Why the move is refused, or what it will do (for the confirmation).</param>
public sealed record BoardMove(BoardMoveAction Action, string Reason)
{
    public bool Allowed => Action != BoardMoveAction.None;
}

/// <summary>
/// The board's rules for drags. Columns are the job's state, which workers and GitHub move; a person
/// can only ask for the three things a person may command (re-run, stop, close). The job actor
/// still decides: a move allowed here may be refused by it, with its own reason.
/// </summary>
public static class BoardMoves
{
    public static BoardMove Decide(JobCard card, JobState to)
    {
        ArgumentNullException.ThrowIfNull(card);
        var from = card.State;
        if (from == to)
        {
            return new(BoardMoveAction.None, $"{card.Title} is already {to.ToWire()}.");
        }
        return to switch
        {
            JobState.Queued when from is JobState.Failed or JobState.Stopped =>
                new(BoardMoveAction.Retry, $"Re-run {card.Title}: a new run from attempt 1."),
            JobState.Queued =>
                new(BoardMoveAction.None, $"Only a failed or stopped job can be re-queued; {card.Title} is {from.ToWire()}."),
            JobState.Stopped when !from.IsTerminal() =>
                new(BoardMoveAction.Stop, $"Stop {card.Title}: its agent is stopped and its worker released."),
            JobState.Stopped =>
                new(BoardMoveAction.None, $"{card.Title} is {from.ToWire()}, which is final: there is nothing to stop."),
            JobState.Closed when !from.IsTerminal() =>
                new(BoardMoveAction.Close, $"Close {card.Title}: the job ends, then its issue is closed on GitHub."),
            JobState.Closed =>
                new(BoardMoveAction.None, $"{card.Title} is {from.ToWire()}, which is final: re-queue it first."),
            _ => new(BoardMoveAction.None, $"A job becomes {to.ToWire()} through its agent or GitHub, not by hand; the board can re-queue, stop or close."),
        };
    }
}
