namespace AgentMesh.Core.Jobs;

/// <summary>
/// The claim a worker holds on a running job. The fence is issued by the store and grows with every claim; the
/// store refuses writes that carry an older fence, so a worker that was presumed dead cannot overwrite newer state.
/// </summary>
/// <param name="WorkerId">The worker slot holding the job (e.g. "node-a/2").</param>
/// <param name="Fence">The fencing token of this claim.</param>
/// <param name="ClaimedAt">When the worker claimed the job.</param>
public sealed record LeaseHolder(string WorkerId, long Fence, DateTimeOffset ClaimedAt);
