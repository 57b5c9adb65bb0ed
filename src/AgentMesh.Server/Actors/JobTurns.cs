using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Repos;
using AgentMesh.Grains.Jobs;
using AgentMesh.Server.Changes;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Actors;

/// <summary>
/// The storage side of a job grain's turns (<see cref="IJobTurnHost"/>): each is one store turn (row locked, Core's
/// pure decision, state + events + outbox committed together). Only the job's grain calls it, so a job's turns are
/// serial across the cluster; the row lock and the run's fence still refuse a second activation's stale write.
/// </summary>
/// <remarks>
/// After every turn the columns the job index lists and claims by (state, attempt, run-after, claim) are written
/// from the decision, so the two never drift. A row whose claim the state does not know (left by an earlier
/// version's SQL lease rescue) is first fed to the state machine as <see cref="RunLost"/>.
/// </remarks>
public sealed class JobTurns(IAgentMeshStore store, JobStateMachine machine, JobEffects effects, TimeProvider timeProvider, IRandomSource random) : IJobTurnHost
{
    public async Task<JobCreation> CreateAsync(string jobId, NewJobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = timeProvider.GetUtcNow();
        var decision = machine.Create(new JobSpec(jobId, spec.Repo, spec.Number, spec.Kind, spec.MaxFixRounds, spec.PullRequest), now);
        var state = spec.RunAfter is { } later && later > now ? decision.State with { RunAfter = later } : decision.State;
        state = state with { TriggeredBy = spec.TriggeredBy };
        // The creation event is written with the row, in one transaction.
        var result = await store.Jobs.EnqueueAsync(
            new NewJob(jobId, spec.Repo, JobActor.NaturalKey(spec.Repo, spec.Number, spec.Kind), JobActor.KindName(spec.Kind), JobActor.Serialize(state), spec.Priority, state.MaxAttempts, state.RunAfter, ToNewEvents(decision.Events))).ConfigureAwait(false);
        return new JobCreation(result.Job.Id, result.Created, WakeAtOf(result.Job));
    }

    public async Task<JobTurnResult> DecideAsync(string jobId, JobTurn turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var toEffects = EffectsOf(turn);
        JobActorState? before = null;
        JobActorState? after = null;
        JobRecord stored;
        try
        {
            stored = await store.Jobs.TurnAsync(
                jobId,
                LeaseOf(jobId, turn.Run),
                record =>
                {
                    var now = timeProvider.GetUtcNow();
                    var (current, catchUpEvents) = CatchUp(JobActor.Deserialize(record.DataJson), record, now);
                    before = current;
                    var decision = machine.Decide(current, turn.Command, now, random);
                    after = decision.State;
                    var outbox = toEffects?.Invoke(current, decision) ?? [];
                    return ToChange(record, decision.State, [.. catchUpEvents, .. decision.Events], outbox);
                }).ConfigureAwait(false);
        }
        catch (InvalidJobTransitionException ex)
        {
            return JobTurnResult.Refused(JobTurnRefusal.IllegalTransition, ex.Message, ex.State, ex.Command);
        }
        catch (JobMailboxFullException ex)
        {
            return JobTurnResult.Refused(JobTurnRefusal.MailboxFull, ex.Message);
        }
        catch (StaleLeaseException ex)
        {
            return JobTurnResult.Refused(JobTurnRefusal.StaleRun, ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            return JobTurnResult.Refused(JobTurnRefusal.NotFound, ex.Message);
        }
        return new JobTurnResult(before, after, WakeAt: WakeAtOf(stored));
    }

    public async Task<RunClaim> ClaimAsync(string jobId, string owner, string repo, int repoLimit)
    {
        var attempt = await store.Jobs.TryClaimAsync(jobId, owner, repo, repoLimit).ConfigureAwait(false);
        return attempt switch
        {
            { Claimed: { } claimed } => new RunClaim(RunClaimOutcome.Claimed, RunTickets.Of(claimed.Job)),
            { RepoFull: true } => new RunClaim(RunClaimOutcome.RepoFull),
            _ => new RunClaim(RunClaimOutcome.NotClaimable),
        };
    }

    public async Task<JobTurnResult> HoldClaimAsync(string jobId, RunFence run, DateTimeOffset until, string reason)
    {
        ArgumentNullException.ThrowIfNull(run);
        var held = JsonSerializer.Serialize(new { until, reason }, CoreJson.Options);
        try
        {
            var stored = await store.Jobs.TurnAsync(
                jobId,
                LeaseOf(jobId, run),
                // The claim moved a queued job to running (a fix round stays fixing); the state machine never saw it.
                record => new JobChange(
                    record.State == JobState.Running ? JobState.Queued : record.State,
                    record.DataJson,
                    [new NewEvent(JobActor.HeldForBudgetEvent, held)],
                    [],
                    RunAfter: until,
                    ReleaseLease: true)).ConfigureAwait(false);
            return new JobTurnResult(null, null, WakeAt: WakeAtOf(stored));
        }
        catch (StaleLeaseException ex)
        {
            return JobTurnResult.Refused(JobTurnRefusal.StaleRun, ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            return JobTurnResult.Refused(JobTurnRefusal.NotFound, ex.Message);
        }
    }

    public async Task RecordEventAsync(string jobId, string type, string dataJson) =>
        await store.Jobs.TurnAsync(
            jobId,
            lease: null,
            record => new JobChange(record.State, record.DataJson, [new NewEvent(type, dataJson)], [])).ConfigureAwait(false);

    private DateTimeOffset? WakeAtOf(JobRecord record) =>
        JobWakeUps.WaitsForATime(record, timeProvider.GetUtcNow()) ? record.RunAfter : null;

    private static JobLease? LeaseOf(string jobId, RunFence? run) => run is null ? null : new JobLease(jobId, run.Owner, run.Fence);

    private Func<JobActorState, JobDecision, IReadOnlyList<NewOutboxItem>>? EffectsOf(JobTurn turn) => turn.Effects switch
    {
        JobEffectPlan.None => null,
        JobEffectPlan.PullRequestOpened => effects.PullRequestOpened,
        JobEffectPlan.FixPushed => effects.FixPushed,
        JobEffectPlan.ClarificationAsked => effects.ClarificationAsked,
        JobEffectPlan.ApprovalRequested => (before, decision) => effects.ApprovalRequested(before, decision, turn.Note ?? ""),
        JobEffectPlan.Failed => effects.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(turn), turn.Effects, "Unknown effect plan."),
    };

    private (JobActorState State, IReadOnlyList<JobEvent> Events) CatchUp(JobActorState state, JobRecord record, DateTimeOffset now)
    {
        // The state thinks a worker holds the job, but the row says otherwise (an earlier version's SQL rescue).
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
            JobActor.Serialize(state),
            ToNewEvents(events),
            outbox,
            RunAfter: state.RunAfter,
            Attempt: state.Attempt,
            // The row's claim follows the state's: when the decision let go of the claim, so does the row.
            ReleaseLease: record.LeaseOwner is not null && state.Lease is null);

    private static List<NewEvent> ToNewEvents(IEnumerable<JobEvent> events) =>
        [.. events.Select(e =>
        {
            var json = JsonSerializer.Serialize(e, CoreJson.Options);
            using var document = JsonDocument.Parse(json);
            return new NewEvent(document.RootElement.GetProperty("type").GetString()!, json);
        })];
}
