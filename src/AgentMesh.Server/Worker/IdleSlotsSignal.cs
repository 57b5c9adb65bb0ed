namespace AgentMesh.Server.Worker;

/// <summary>
/// Wakes this node's idle worker slots directly, without the cluster's job-change stream, when the node itself
/// knows a job may be claimable now:
/// <list type="bullet">
/// <item>a job written on this node (<see cref="RaiseOne"/>, one slot): the stream's notice takes its pulling agent's
/// next read of its queue (every 20 ms) to arrive, and on one node every job is written here;</item>
/// <item>jobs re-queued after a silo died (<see cref="Raise"/>, every slot): the stream's queues may be re-forming
/// then (a queue can live on the dead silo), and their notices can arrive seconds late.</item>
/// </list>
/// The stream's notice still comes and wakes a slot too; a slot that finds nothing claimable waits again.
/// </summary>
public sealed class IdleSlotsSignal
{
    /// <summary>Raised when jobs became claimable that the stream may announce late: every idle slot asks.</summary>
    public event Action? Raised;

    /// <summary>Raised when one job was written on this node: one idle slot asks.</summary>
    public event Action? RaisedForOne;

    public void Raise() => Raised?.Invoke();

    public void RaiseOne() => RaisedForOne?.Invoke();
}
