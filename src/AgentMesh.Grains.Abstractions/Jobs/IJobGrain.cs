namespace AgentMesh.Grains.Abstractions.Jobs;

/// <summary>
/// A job's grain (key: the job id). It owns the job's durable timers:
/// <list type="bullet">
/// <item>a job held back until a time (a retry's backoff, a budget window, a review's settle delay) is announced
/// to the workers when that time comes, by a reminder that survives the silo;</item>
/// <item>a job's running run is watched: a reminder asks the run's agent-worker grain whether its agent still
/// runs, and a run no grain runs (its silo died) is reported lost, so the job is re-queued as its next attempt.
/// Nodes ask at once when Orleans declares a silo dead (<see cref="CheckRunAsync"/>).</item>
/// </list>
/// The state machine still turns in the store (docs/architecture.md, "where the move stands").
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

    /// <summary>
    /// Watches run <paramref name="fence"/> of worker slot <paramref name="owner"/> until it ends: every
    /// <c>Grains:RunWatchPeriod</c> the grain checks the run (<see cref="CheckRunAsync"/>). Replaces an older
    /// run's watch; a watch of an older run than the one watched is ignored.
    /// </summary>
    Task WatchRunAsync(string owner, long fence);

    /// <summary>Stops watching run <paramref name="fence"/> (it ended and reported); another run's watch stays.</summary>
    Task RunEndedAsync(long fence);

    /// <summary>The run watched now, or null.</summary>
    Task<WatchedRun?> GetWatchedRunAsync();

    /// <summary>
    /// Asks the agent-worker grain of run <paramref name="fence"/> whether its agent runs, and reports the run
    /// lost to the job when it does not. Safe to call for any run, any number of times: the job ignores a
    /// report about a run that is not its current one.
    /// </summary>
    Task<RunCheck> CheckRunAsync(string owner, long fence);
}

/// <summary>A run a job grain watches: the worker slot that claimed the job, and the claim's fence.</summary>
[GenerateSerializer]
[Alias("AgentMesh.WatchedRun")]
public sealed record WatchedRun([property: Id(0)] string Owner, [property: Id(1)] long Fence);
