using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Server.Outbox;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Actors;

/// <summary>
/// The job actor's facade: sends a command to one job and returns its new state. Each call is one
/// store turn (row locked, pure decision, state + events + outbox committed together), so calls on
/// one job never interleave, on any node.
/// </summary>
/// <remarks>
/// One store operation changes a job's columns without a turn, because it must be a single statement:
/// the claim (which picks the job and leases it). The worker's first turn after a claim is <see cref="Start"/>
/// with the claim's fence. After every turn the columns the store claims by (state, attempt, run-after,
/// lease) are written from the decision, so the two never drift. A row whose lease the actor's state does
/// not know (left by an earlier version's SQL lease rescue) is first fed to the state machine as
/// <see cref="RunLost"/>.
/// </remarks>
/// <param name="effectsWakeUp">Wakes the job's effects grain around a turn that may write effects; null where no
/// silo performs them (tests of the intake and reconciliation, which read the written items).</param>
public sealed class JobActor(IAgentMeshStore store, JobStateMachine machine, TimeProvider timeProvider, IRandomSource random, JobEffectsWakeUp? effectsWakeUp = null)
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
        var now = timeProvider.GetUtcNow();
        var id = NewJobId(now);
        var decision = machine.Create(new JobSpec(id, repo, number, kind, maxFixRounds, pullRequest), now);
        var state = runAfter is { } later && later > now ? decision.State with { RunAfter = later } : decision.State;
        state = state with { TriggeredBy = triggeredBy };
        var result = await store.Jobs.EnqueueAsync(
            new NewJob(id, repo, NaturalKey(repo, number, kind), KindName(kind), Serialize(state), priority, state.MaxAttempts, state.RunAfter),
            cancellationToken).ConfigureAwait(false);
        if (!result.Created)
        {
            return (result.Job, false);
        }

        // The creation event goes in a turn of its own: the enqueue is one INSERT … ON CONFLICT.
        var record = await store.Jobs.TurnAsync(
            id,
            lease: null,
            current => new JobChange(current.State, current.DataJson, ToNewEvents(decision.Events), []),
            cancellationToken).ConfigureAwait(false);
        return (record, true);
    }

    /// <summary>
    /// Sends <paramref name="command"/>. With a <paramref name="lease"/> (a worker's write) the turn is
    /// refused with <see cref="StaleLeaseException"/> when the lease was taken away. An illegal command
    /// throws <see cref="JobDomainException"/> and changes nothing. <paramref name="effects"/> maps the
    /// decision to side effects committed in the same transaction.
    /// </summary>
    public async Task<JobActorState> SendAsync(
        string jobId,
        JobCommand command,
        JobLease? lease = null,
        Func<JobActorState, JobDecision, IReadOnlyList<NewOutboxItem>>? effects = null,
        CancellationToken cancellationToken = default)
    {
        // The effects grain's reminder goes first: if this node dies right after the commit, the reminder
        // performs what the turn wrote.
        var wakeEffects = effects is not null && effectsWakeUp is not null;
        if (wakeEffects)
        {
            await effectsWakeUp!.ExpectAsync(jobId).ConfigureAwait(false);
        }
        JobActorState? after = null;
        await store.Jobs.TurnAsync(
            jobId,
            lease,
            record =>
            {
                var now = timeProvider.GetUtcNow();
                var (current, catchUpEvents) = CatchUp(Deserialize(record.DataJson), record, now);
                var decision = machine.Decide(current, command, now, random);
                after = decision.State;
                var outbox = effects?.Invoke(current, decision) ?? [];
                return ToChange(record, decision.State, [.. catchUpEvents, .. decision.Events], outbox);
            },
            cancellationToken).ConfigureAwait(false);
        if (wakeEffects)
        {
            // Also when the turn wrote none (or failed): the grain then drops the reminder it was just given.
            await effectsWakeUp!.PerformSoonAsync(jobId).ConfigureAwait(false);
        }
        return after!;
    }

    /// <summary>
    /// Gives a claim back: when the worker's <see cref="Start"/> was refused, the node shuts down before
    /// the agent finished, or the run failed for the node's own reasons. The state machine treats it as the
    /// run lost (re-queued as the next attempt, or failed after the last); a claim the actor never saw is
    /// a no-op for it, and the row's lease is released either way.
    /// </summary>
    public Task<JobActorState> AbandonClaimAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return SendAsync(lease.JobId, new RunLost(lease.Fence), lease, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Gives a claim back untouched, to be claimed again at <paramref name="until"/>: a budget was spent between
    /// the job's admission and its turn to run. The state machine never saw the claim (no attempt is counted);
    /// the job's history records why it waits.
    /// </summary>
    public Task<JobRecord> HoldClaimAsync(JobLease lease, DateTimeOffset until, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var held = JsonSerializer.Serialize(new { until, reason }, CoreJson.Options);
        return store.Jobs.TurnAsync(
            lease.JobId,
            lease,
            // The claim moved a queued job to running (a fix round stays fixing); the actor never saw it.
            record => new JobChange(
                record.State == JobState.Running ? JobState.Queued : record.State,
                record.DataJson,
                [new NewEvent(HeldForBudgetEvent, held)],
                [],
                RunAfter: until,
                ReleaseLease: true),
            cancellationToken);
    }

    /// <summary>The job's actor state as last saved (without catching up on store-side changes).</summary>
    public async Task<(JobRecord Record, JobActorState State)?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var record = await store.Jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : (record, Deserialize(record.DataJson));
    }

    public static JobActorState Deserialize(string json) =>
        JsonSerializer.Deserialize<JobActorState>(json, CoreJson.Options)
        ?? throw new InvalidOperationException("A job row holds no actor state.");

    public static string Serialize(JobActorState state) => JsonSerializer.Serialize(state, CoreJson.Options);

    private (JobActorState State, IReadOnlyList<JobEvent> Events) CatchUp(JobActorState state, JobRecord record, DateTimeOffset now)
    {
        // The actor thinks a worker holds the job, but the row says otherwise (an earlier version's SQL rescue).
        var leaseGone = state.Lease is { } held && (record.LeaseOwner is null || record.Fence != held.Fence);
        if (!leaseGone)
        {
            return (state, []);
        }
        var decision = machine.Decide(state, new RunLost(state.Lease!.Fence), now, random);
        return (decision.State, decision.Events);
    }

    private static JobChange ToChange(JobRecord record, JobActorState state, IReadOnlyList<JobEvent> events, IReadOnlyList<NewOutboxItem> outbox) =>
        new(
            state.State,
            Serialize(state),
            ToNewEvents(events),
            outbox,
            RunAfter: state.RunAfter,
            Attempt: state.Attempt,
            // The store's lease follows the actor's: when the decision let go of the claim, so does the row.
            ReleaseLease: record.LeaseOwner is not null && state.Lease is null);

    private static List<NewEvent> ToNewEvents(IEnumerable<JobEvent> events) =>
        [.. events.Select(e =>
        {
            var json = JsonSerializer.Serialize(e, CoreJson.Options);
            using var document = JsonDocument.Parse(json);
            return new NewEvent(document.RootElement.GetProperty("type").GetString()!, json);
        })];

    // Time-ordered ids sort like creation order in listings and stay unique across nodes.
    private static string NewJobId(DateTimeOffset now) =>
        $"{now.ToUnixTimeMilliseconds():x11}{Guid.NewGuid().ToString("N")[..10]}";
}
