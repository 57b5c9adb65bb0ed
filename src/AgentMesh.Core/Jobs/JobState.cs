namespace AgentMesh.Core.Jobs;

/// <summary>
/// The states of a job actor. Transitions are decided by the job state machine and applied in the
/// store as compare-and-set writes. Wire names (in the database, the API and logs) are snake_case:
/// see <see cref="JobStateNames"/>.
/// </summary>
public enum JobState
{
    Queued,
    Running,
    WaitingForReply,

    /// <summary>The run's work touches a protected path: held on the node, unpushed, until a maintainer approves.</summary>
    WaitingForApproval,
    PrOpened,
    Fixing,
    Merged,
    Failed,
    Stopped,
    Closed,
}

/// <summary>Wire names of <see cref="JobState"/> and the terminal-state rule.</summary>
public static class JobStateNames
{
    public static string ToWire(this JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.WaitingForReply => "waiting_for_reply",
        JobState.WaitingForApproval => "waiting_for_approval",
        JobState.PrOpened => "pr_opened",
        JobState.Fixing => "fixing",
        JobState.Merged => "merged",
        JobState.Failed => "failed",
        JobState.Stopped => "stopped",
        JobState.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown job state."),
    };

    public static JobState Parse(string wire) => wire switch
    {
        "queued" => JobState.Queued,
        "running" => JobState.Running,
        "waiting_for_reply" => JobState.WaitingForReply,
        "waiting_for_approval" => JobState.WaitingForApproval,
        "pr_opened" => JobState.PrOpened,
        "fixing" => JobState.Fixing,
        "merged" => JobState.Merged,
        "failed" => JobState.Failed,
        "stopped" => JobState.Stopped,
        "closed" => JobState.Closed,
        _ => throw new FormatException($"'{wire}' is not a job state."),
    };

    /// <summary>Terminal states are final unless a person re-runs the job (a new attempt).</summary>
    public static bool IsTerminal(this JobState state) =>
        state is JobState.Merged or JobState.Failed or JobState.Stopped or JobState.Closed;
}
