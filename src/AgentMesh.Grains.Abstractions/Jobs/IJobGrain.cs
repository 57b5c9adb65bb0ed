using AgentMesh.Grains.Abstractions.Repos;
namespace AgentMesh.Grains.Abstractions.Jobs;

/// <summary>
/// A job's grain (key: the job id): the job's one decider. Every change of the job is a turn of this grain,
/// which runs Core's <c>JobStateMachine</c> on the job's state and stores the new state, its history events and
/// the side effects it asks for together (docs/architecture.md, "A job's state"). It also owns the job's
/// durable timers:
/// <list type="bullet">
/// <item>a job held back until a time (a retry's backoff, a budget window, a review's settle delay) is announced
/// to the workers when that time comes, by a reminder that survives the silo;</item>
/// <item>a job's running run is watched: a reminder asks the run's agent-worker grain whether its agent still
/// runs, and a run no grain runs (its silo died) is reported lost, so the job is re-queued as its next attempt.
/// Nodes ask at once when Orleans declares a silo dead (<see cref="CheckRunAsync"/>).</item>
/// </list>
/// </summary>
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the job under this grain's key, unless the same work (repo, number, kind) already is a job: then
    /// nothing is written and the answer names that job.
    /// </summary>
    Task<JobCreation> CreateAsync(NewJobSpec spec);

    /// <summary>
    /// Sends one command. A refused command (illegal in the job's state, a full mailbox, a report of a run that
    /// is not the current one) changes nothing and says why in the answer.
    /// </summary>
    Task<JobTurnResult> DecideAsync(JobTurn turn);

    /// <summary>
    /// Claims the job's next run for worker slot <paramref name="owner"/> if the job is claimable now (queued or
    /// fixing, due, unclaimed) and fewer than <paramref name="repoLimit"/> jobs of <paramref name="repo"/> hold a
    /// claim: the run number is raised, which fences off every report of an earlier run. Asked by the job's repo
    /// grain, which decides one claim of the repo at a time and passes the repo's configured limit; the count and
    /// the claim are one statement of the store. The answer is <see cref="RunClaimOutcome.RepoFull"/> when the
    /// repo held its limit already (whether or not the job was claimable), else claimed or not claimable; a
    /// claimed answer's ticket carries the job's row as claimed.
    /// </summary>
    Task<RunClaim> ClaimRunAsync(string owner, string repo, int repoLimit);

    /// <summary>
    /// Gives run <paramref name="run"/>'s claim back untouched, to be claimed again at <paramref name="until"/>
    /// (a budget was spent between the job's admission and its turn to run): no attempt is counted, and the
    /// job's history says why it waits. Refused (<see cref="JobTurnRefusal.StaleRun"/>) when that run is gone.
    /// </summary>
    Task<JobTurnResult> HoldClaimAsync(RunFence run, DateTimeOffset until, string reason);

    /// <summary>
    /// Appends a fact about a run to the job's history (its audit) without changing the job: no run is required,
    /// so a stopped run is audited too.
    /// </summary>
    Task RecordEventAsync(string type, string dataJson);

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
    /// Asks the agent-worker grain of run <paramref name="fence"/> whether its agent runs, and when it does not,
    /// takes the run's loss as a turn (<c>RunLost</c>, fenced by that run). Safe to call for any run, any number of times: the job ignores a
    /// report about a run that is not its current one.
    /// </summary>
    Task<RunCheck> CheckRunAsync(string owner, long fence);
}

/// <summary>A run a job grain watches: the worker slot that claimed the job, and the claim's fence.</summary>
[GenerateSerializer]
[Alias("AgentMesh.WatchedRun")]
public sealed record WatchedRun([property: Id(0)] string Owner, [property: Id(1)] long Fence);
