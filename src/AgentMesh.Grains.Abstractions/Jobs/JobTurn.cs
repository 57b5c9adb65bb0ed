using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;

namespace AgentMesh.Grains.Abstractions.Jobs;

/// <summary>A worker's claim on one run of a job, carried by its reports: a report of any other run is refused.</summary>
/// <param name="Owner">The slot that claimed the run, <c>node/slot</c>.</param>
/// <param name="Fence">The run's number, raised by each claim.</param>
[GenerateSerializer]
[Alias("AgentMesh.RunFence")]
public sealed record RunFence([property: Id(0)] string Owner, [property: Id(1)] long Fence);

/// <summary>
/// The side effects a decision may ask for, by name: the job grain's silo maps the name to outbox items written in
/// the turn's own transaction (a function cannot cross a grain call).
/// </summary>
public enum JobEffectPlan
{
    None,

    /// <summary>The status comment links the opened pull request.</summary>
    PullRequestOpened,

    /// <summary>The pull request hears a review's fix was pushed.</summary>
    FixPushed,

    /// <summary>The agent's questions go to the issue.</summary>
    ClarificationAsked,

    /// <summary>The approval request (<see cref="JobTurn.Note"/>) goes to the issue or the pull request.</summary>
    ApprovalRequested,

    /// <summary>A job failed for good says why on its issue.</summary>
    Failed,
}

/// <summary>One command to a job grain, with the run it comes from (null for anyone but the run's worker).</summary>
/// <param name="Command">The command, one of Core's (it crosses the call as Core's JSON).</param>
/// <param name="Run">The worker's claim: the turn is refused when the job's current run is another.</param>
/// <param name="Effects">The side effects the decision may ask for.</param>
/// <param name="Note">The text an effect needs (the approval request's comment).</param>
[GenerateSerializer]
[Alias("AgentMesh.JobTurn")]
public sealed record JobTurn(
    [property: Id(0)] JobCommand Command,
    [property: Id(1)] RunFence? Run = null,
    [property: Id(2)] JobEffectPlan Effects = JobEffectPlan.None,
    [property: Id(3)] string? Note = null);

/// <summary>Why a job grain refused a turn; the state is unchanged.</summary>
public enum JobTurnRefusal
{
    None,

    /// <summary>The command is not legal in the job's state (Core's <c>InvalidJobTransitionException</c>).</summary>
    IllegalTransition,

    /// <summary>The job's chat mailbox is full (Core's <c>JobMailboxFullException</c>).</summary>
    MailboxFull,

    /// <summary>The turn carried a run that is not the job's current one.</summary>
    StaleRun,

    /// <summary>No such job (never created, or purged).</summary>
    NotFound,
}

/// <summary>
/// A job grain's answer to a turn: the state before and after (and the time the job now waits for before a worker
/// may claim it, if any), or why it was refused. Refusals travel as data,
/// not exceptions: Orleans carries only well-known exception types across silos with their properties.
/// </summary>
[GenerateSerializer]
[Alias("AgentMesh.JobTurnResult")]
public sealed record JobTurnResult(
    [property: Id(0)] JobActorState? Before,
    [property: Id(1)] JobActorState? After,
    [property: Id(2)] JobTurnRefusal Refusal = JobTurnRefusal.None,
    [property: Id(3)] string? Message = null,
    [property: Id(4)] JobState? RefusedIn = null,
    [property: Id(5)] string? RefusedCommand = null,
    [property: Id(6)] DateTimeOffset? WakeAt = null)
{
    public static JobTurnResult Refused(JobTurnRefusal refusal, string message, JobState? state = null, string? command = null) =>
        new(null, null, refusal, message, state, command);
}

/// <summary>A new job's facts; its id is the job grain's key.</summary>
[GenerateSerializer]
[Alias("AgentMesh.NewJobSpec")]
public sealed record NewJobSpec(
    [property: Id(0)] string Repo,
    [property: Id(1)] int Number,
    [property: Id(2)] JobKind Kind,
    [property: Id(3)] int MaxFixRounds,
    [property: Id(4)] PullRequestLink? PullRequest,
    [property: Id(5)] DateTimeOffset? RunAfter,
    [property: Id(6)] int Priority,
    [property: Id(7)] string? TriggeredBy);

/// <summary>
/// A creation's answer: the job that holds the work (another one when the same work was already a job), and the
/// time it waits for before a worker may claim it, if any.
/// </summary>
[GenerateSerializer]
[Alias("AgentMesh.JobCreation")]
public sealed record JobCreation([property: Id(0)] string JobId, [property: Id(1)] bool Created, [property: Id(2)] DateTimeOffset? WakeAt = null);
