using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Repos;

namespace AgentMesh.Grains.Jobs;

/// <summary>
/// The storage side of a job grain's turns, implemented by the node: each call reads the job's row, runs Core's
/// state machine on it and writes the new state with the turn's history events and side effects in one
/// transaction. The row is the job grain's storage (docs/architecture.md says why it is not Orleans' grain
/// storage); its conditional write refuses a second activation's stale turn, as an ETag would. A call must not
/// call back into the job's grain (it is busy with the turn): the grain sets its own reminders from the answers.
/// </summary>
public interface IJobTurnHost
{
    /// <summary>Inserts job <paramref name="jobId"/> unless the same work already is a job.</summary>
    Task<JobCreation> CreateAsync(string jobId, NewJobSpec spec);

    /// <summary>One command, decided and stored; refusals are answers, not exceptions.</summary>
    Task<JobTurnResult> DecideAsync(string jobId, JobTurn turn);

    /// <summary>
    /// Claims the job's next run for <paramref name="owner"/> if it is claimable now and fewer than
    /// <paramref name="repoLimit"/> jobs of <paramref name="repo"/> hold a claim, in one statement of the store; the
    /// claimed answer's ticket carries the job's row as claimed (<see cref="IJobGrain.ClaimRunAsync"/>).
    /// </summary>
    Task<RunClaim> ClaimAsync(string jobId, string owner, string repo, int repoLimit);

    /// <summary>Gives run <paramref name="run"/>'s claim back untouched until <paramref name="until"/>.</summary>
    Task<JobTurnResult> HoldClaimAsync(string jobId, RunFence run, DateTimeOffset until, string reason);

    /// <summary>Appends one event to the job's history, leaving its state as it is.</summary>
    Task RecordEventAsync(string jobId, string type, string dataJson);
}
