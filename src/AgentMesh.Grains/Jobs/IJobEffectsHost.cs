namespace AgentMesh.Grains.Jobs;

/// <summary>
/// Performs a job's due outbox items (the node's GitHub clients do the work). Implemented by the node.
/// </summary>
public interface IJobEffectsHost
{
    /// <summary>
    /// Performs every due item of the job once (a failure is recorded on the item with its retry time, or
    /// leaves it dead); returns when the next pending item is due, or null when none is pending.
    /// </summary>
    Task<DateTimeOffset?> PerformDueAsync(string jobId);
}
