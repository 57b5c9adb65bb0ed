namespace AgentMesh.Core.Nodes;

/// <summary>
/// One place on a node where an agent runs. Idle, or busy with a job under the fence of its claim.
/// </summary>
/// <param name="NodeId">The node.</param>
/// <param name="Index">0-based slot number on the node.</param>
/// <param name="JobId">The job it runs, or null when idle.</param>
/// <param name="Fence">The fence of that job's claim, or null when idle.</param>
public sealed record WorkerSlot(string NodeId, int Index, long? JobId = null, long? Fence = null)
{
    /// <summary>True when no job runs in the slot.</summary>
    public bool IsIdle => JobId is null;

    /// <summary>The worker id used in job leases: "node/index".</summary>
    public string WorkerId => $"{NodeId}/{Index}";

    /// <summary>The slot running <paramref name="jobId"/>. Throws when the slot is busy.</summary>
    public WorkerSlot Assign(long jobId, long fence) =>
        IsIdle
            ? this with { JobId = jobId, Fence = fence }
            : throw new InvalidOperationException($"Worker slot {WorkerId} is busy with job {JobId}; it cannot take job {jobId}.");

    /// <summary>
    /// The slot idle again after <paramref name="jobId"/> ended. Releasing an idle slot is a no-op (a repeated
    /// release after a crash-restart); releasing it for another job throws, as that is a bookkeeping bug.
    /// </summary>
    public WorkerSlot Release(long jobId)
    {
        if (IsIdle)
        {
            return this;
        }

        return JobId == jobId
            ? this with { JobId = null, Fence = null }
            : throw new InvalidOperationException($"Worker slot {WorkerId} runs job {JobId}, not job {jobId}.");
    }
}
