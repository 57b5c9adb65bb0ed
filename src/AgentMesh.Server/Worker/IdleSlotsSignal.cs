namespace AgentMesh.Server.Worker;

/// <summary>
/// Wakes this node's idle worker slots directly, without the cluster's job-change stream: right after a silo
/// died, the stream's queues may be re-forming (a queue can live on the dead silo), and the notices of the jobs
/// its death re-queued can arrive seconds late. The node that re-queued them knows they are claimable now.
/// </summary>
public sealed class IdleSlotsSignal
{
    /// <summary>Raised when jobs became claimable that the stream may announce late.</summary>
    public event Action? Raised;

    public void Raise() => Raised?.Invoke();
}
