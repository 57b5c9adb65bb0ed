namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// Work held for a maintainer's approval (protected paths, docs/security.md), kept in the store as a git bundle of
/// the held commit so that any worker of a fleet can push it after approval, not only the node that ran the agent.
/// One row per job: holding again (a later run or fix round) replaces it. Purging a terminal job deletes its row.
/// </summary>
public interface IHeldWorkStore
{
    /// <summary>
    /// Stores the job's held work, replacing any earlier one of the same job. Throws
    /// <see cref="KeyNotFoundException"/> when the job does not exist.
    /// </summary>
    Task SaveAsync(NewHeldWorkBundle work, CancellationToken cancellationToken = default);

    /// <summary>The job's held work, or null when none is stored.</summary>
    Task<HeldWorkBundle?> GetAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the job's held work (once pushed). Returns false when there was none.</summary>
    Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken = default);
}

/// <param name="JobId">The job whose work is held.</param>
/// <param name="Run">The run that made the work.</param>
/// <param name="CommitSha">The held commit: the tip the bundle carries.</param>
/// <param name="Bundle">The bytes of a <c>git bundle</c> holding the commit (relative to the run's base commit).</param>
public sealed record NewHeldWorkBundle(string JobId, int Run, string CommitSha, byte[] Bundle);

/// <param name="CreatedAt">When it was stored (the store's clock).</param>
public sealed record HeldWorkBundle(string JobId, int Run, string CommitSha, byte[] Bundle, DateTimeOffset CreatedAt);
