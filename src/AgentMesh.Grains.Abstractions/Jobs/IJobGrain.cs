namespace AgentMesh.Grains.Abstractions.Jobs;

/// <summary>
/// A job's grain (key: the job id). Today it owns the job's durable timer: a job held back until a
/// time (a retry's backoff, a budget window, a review's settle delay) is announced to the workers
/// when that time comes, by a reminder that survives the silo. The state machine still turns in the
/// store (docs/architecture.md, "where the move stands").
/// </summary>
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Announces the job on <c>job-changes/*</c> at <paramref name="at"/> (at once when it is past), so an
    /// idle worker claims it then without polling. A later call replaces the time; the earliest is not kept.
    /// </summary>
    Task WakeAtAsync(DateTimeOffset at);

    /// <summary>The time the job will be announced, or null when nothing is scheduled.</summary>
    Task<DateTimeOffset?> GetWakeTimeAsync();
}
