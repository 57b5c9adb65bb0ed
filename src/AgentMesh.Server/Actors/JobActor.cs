using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Actors;

/// <summary>
/// The job actor's facade for the node's code: sends a command to one job's grain (<see cref="IJobGrain"/>, the
/// job's one decider, on whichever silo it lives) and returns the new state. Refusals come back as the exceptions
/// callers already handle: <see cref="JobDomainException"/>s for a command the job refuses,
/// <see cref="StaleLeaseException"/> for a report of a run that is no longer the job's, and
/// <see cref="KeyNotFoundException"/> for a job that does not exist.
/// </summary>
public sealed class JobActor(IGrainFactory grains, IAgentMeshStore store, TimeProvider timeProvider)
{
    /// <summary>The history event of a claim given back because a budget was spent (<see cref="HoldClaimAsync"/>).</summary>
    public const string HeldForBudgetEvent = "held_for_budget";

    /// <summary>The natural key that makes a second delivery of the same work find the same job.</summary>
    public static string NaturalKey(string repo, int number, JobKind kind) =>
        $"{repo}#{number}:{KindName(kind)}";

    public static string KindName(JobKind kind) => kind == JobKind.SolveIssue ? "solve_issue" : "fix_pull_request";

    /// <summary>
    /// Creates the job unless one with the same natural key exists; returns the job either way.
    /// <paramref name="runAfter"/> holds it back (e.g. until a token budget window frees).
    /// </summary>
    public async Task<(JobRecord Record, bool Created)> CreateAsync(
        string repo,
        int number,
        JobKind kind,
        int maxFixRounds,
        PullRequestLink? pullRequest = null,
        DateTimeOffset? runAfter = null,
        int priority = 0,
        CancellationToken cancellationToken = default,
        string? triggeredBy = null)
    {
        var id = NewJobId(timeProvider.GetUtcNow());
        var creation = await grains.GetGrain<IJobGrain>(id)
            .CreateAsync(new NewJobSpec(repo, number, kind, maxFixRounds, pullRequest, runAfter, priority, triggeredBy))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var record = await store.Jobs.GetAsync(creation.JobId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Job {creation.JobId} was purged right after it was found.");
        return (record, creation.Created);
    }

    /// <summary>
    /// Sends <paramref name="command"/>. With a <paramref name="lease"/> (a worker's report) the turn is refused
    /// with <see cref="StaleLeaseException"/> when that run is no longer the job's. An illegal command throws
    /// <see cref="JobDomainException"/> and changes nothing. <paramref name="effects"/> names the side effects
    /// the decision may ask for, committed in the same transaction.
    /// </summary>
    public async Task<JobActorState> SendAsync(
        string jobId,
        JobCommand command,
        JobLease? lease = null,
        JobEffectPlan effects = JobEffectPlan.None,
        CancellationToken cancellationToken = default,
        string? note = null) =>
        (await DecideAsync(jobId, command, lease, effects, cancellationToken, note).ConfigureAwait(false)).After!;

    /// <summary>As <see cref="SendAsync"/>, answering the state the turn started from as well.</summary>
    public async Task<(JobActorState Before, JobActorState After)> DecideAsync(
        string jobId,
        JobCommand command,
        JobLease? lease = null,
        JobEffectPlan effects = JobEffectPlan.None,
        CancellationToken cancellationToken = default,
        string? note = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var run = lease is null ? null : new RunFence(lease.Owner, lease.Fence);
        // Not cancelled mid-call: a turn the grain runs completes (or not) on its own; the caller stops waiting.
        var result = await grains.GetGrain<IJobGrain>(jobId)
            .DecideAsync(new JobTurn(command, run, effects, note))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfRefused(jobId, result, lease);
        return (result.Before!, result.After!);
    }

    /// <summary>
    /// Gives a claim back: when the worker's <see cref="Start"/> was refused, the node shuts down before
    /// the agent finished, or the run failed for the node's own reasons. The state machine treats it as the
    /// run lost (re-queued as the next attempt, or failed after the last); a claim the actor never saw is
    /// a no-op for it, and the row's claim is released either way.
    /// </summary>
    /// <remarks>Retried when the job's grain could not be reached (<see cref="GrainCallRetry"/>): a repeated give-back
    /// of a run already given back is refused as stale, which callers take as done.</remarks>
    public async Task<JobActorState> AbandonClaimAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await GrainCallRetry.Pipeline.ExecuteAsync(
            async token => await SendAsync(lease.JobId, new RunLost(lease.Fence), lease, cancellationToken: token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the start of the claimed run <paramref name="lease"/>. Retried when the job's grain could not be reached
    /// (<see cref="GrainCallRetry"/>); a start that was recorded although its answer was lost is refused when sent
    /// again, and then the job's stored state, started by this very run, is the answer.
    /// </summary>
    public async Task<JobActorState> StartAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await GrainCallRetry.Pipeline.ExecuteAsync(
            async token =>
            {
                try
                {
                    return await SendAsync(lease.JobId, new Start(lease.Owner, lease.Fence), lease, cancellationToken: token).ConfigureAwait(false);
                }
                catch (InvalidJobTransitionException)
                {
                    if (await StartedByAsync(lease, token).ConfigureAwait(false) is { } started)
                    {
                        return started;
                    }
                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    // The job's stored state when run `lease` holds it and has started; null otherwise.
    private async Task<JobActorState?> StartedByAsync(JobLease lease, CancellationToken cancellationToken) =>
        await GetAsync(lease.JobId, cancellationToken).ConfigureAwait(false) is { State.Lease: { } holder } job
        && holder.WorkerId == lease.Owner && holder.Fence == lease.Fence
            ? job.State
            : null;

    /// <summary>
    /// Gives a claim back untouched, to be claimed again at <paramref name="until"/>: a budget was spent between
    /// the job's admission and its turn to run. The state machine never saw the claim (no attempt is counted);
    /// the job's history records why it waits.
    /// </summary>
    public async Task HoldClaimAsync(JobLease lease, DateTimeOffset until, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var result = await grains.GetGrain<IJobGrain>(lease.JobId)
            .HoldClaimAsync(new RunFence(lease.Owner, lease.Fence), until, reason)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfRefused(lease.JobId, result, lease);
    }

    /// <summary>Appends a fact about a run (its audit) to the job's history, through the job's grain.</summary>
    public Task RecordEventAsync(string jobId, string type, string dataJson, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IJobGrain>(jobId).RecordEventAsync(type, dataJson).WaitAsync(cancellationToken);

    /// <summary>The job's state as its last turn stored it, read from the job index.</summary>
    public async Task<(JobRecord Record, JobActorState State)?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var record = await store.Jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : (record, Deserialize(record.DataJson));
    }

    public static JobActorState Deserialize(string json) =>
        JsonSerializer.Deserialize<JobActorState>(json, CoreJson.Options)
        ?? throw new InvalidOperationException("A job row holds no actor state.");

    public static string Serialize(JobActorState state) => JsonSerializer.Serialize(state, CoreJson.Options);

    // The grain answers refusals as data (its silo may be another process); here they become the exceptions of old.
    private static void ThrowIfRefused(string jobId, JobTurnResult result, JobLease? lease)
    {
        var message = result.Message ?? $"Job {jobId} refused the command ({result.Refusal}).";
        switch (result.Refusal)
        {
            case JobTurnRefusal.None:
                return;
            case JobTurnRefusal.IllegalTransition:
                throw new InvalidJobTransitionException(message, jobId, result.RefusedIn, result.RefusedCommand);
            case JobTurnRefusal.MailboxFull:
                throw new JobMailboxFullException(message);
            case JobTurnRefusal.StaleRun:
                throw lease is null ? new StaleLeaseException() : new StaleLeaseException(lease.JobId, lease.Fence);
            case JobTurnRefusal.NotFound:
                throw new KeyNotFoundException(message);
            default:
                throw new InvalidOperationException(message);
        }
    }

    // Time-ordered ids sort like creation order in listings and stay unique across nodes.
    private static string NewJobId(DateTimeOffset now) =>
        $"{now.ToUnixTimeMilliseconds():x11}{Guid.NewGuid().ToString("N")[..10]}";
}
