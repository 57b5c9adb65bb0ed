namespace AgentMesh.Server.Pipeline;

/// <summary>
/// Wakes this node's inbox processor as soon as its own webhook endpoint stored a delivery, so a
/// single node reacts at once; deliveries stored by other nodes are found by the poll.
/// </summary>
public sealed class InboxWakeUp
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Signal()
    {
        // At most one pending wake-up: a burst of deliveries is drained by one pass.
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
