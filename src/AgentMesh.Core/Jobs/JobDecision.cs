using AgentMesh.Core.Jobs.Events;

namespace AgentMesh.Core.Jobs;

/// <summary>
/// The result of one actor turn: the state to save and the events to append, in order. A no-op returns the
/// same state instance and no events (<see cref="IsNoOp"/>), so the store can skip the write.
/// </summary>
public sealed record JobDecision(JobActorState State, IReadOnlyList<JobEvent> Events)
{
    /// <summary>True when nothing changed.</summary>
    public bool IsNoOp { get; init; }

    internal static JobDecision NoOp(JobActorState state) => new(state, []) { IsNoOp = true };
}
