namespace AgentMesh.Core.Jobs;

/// <summary>
/// The persistent state of one job actor. Immutable: <see cref="JobStateMachine.Decide"/> returns a new value.
/// Serialises with System.Text.Json (use <see cref="CoreJson.Options"/>); every collection in it is bounded by
/// <see cref="JobActorOptions"/> so the row never grows without limit.
/// </summary>
public sealed record JobActorState
{
    /// <summary>The job id the store assigned.</summary>
    public required string Id { get; init; }

    /// <summary>The repository, "owner/name".</summary>
    public required string Repo { get; init; }

    /// <summary>The issue number (for <see cref="JobKind.SolveIssue"/>) or PR number (for <see cref="JobKind.FixPullRequest"/>).</summary>
    public required int Number { get; init; }

    /// <summary>What the job is for.</summary>
    public required JobKind Kind { get; init; }

    /// <summary>Where the job is in its life.</summary>
    public JobState State { get; init; } = JobState.Queued;

    /// <summary>1 for the job as created; each person's re-run of a terminal job adds one.</summary>
    public int Run { get; init; } = 1;

    /// <summary>
    /// The try of the current piece of work (the solve, a fix round, or a re-run), 1-based; never above
    /// <see cref="MaxAttempts"/>. A transient failure or a lost run moves to the next attempt.
    /// </summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Attempts each piece of work gets; fixed when the job is created.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Earliest time a worker may claim the job (backoff after a retry).</summary>
    public DateTimeOffset RunAfter { get; init; }

    /// <summary>When the job was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the last decision changed this state.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The worker's claim while one runs the job; null otherwise.</summary>
    public LeaseHolder? Lease { get; init; }

    /// <summary>The highest fence any claim of this job carried; a new claim must carry a higher one.</summary>
    public long LastFence { get; init; }

    /// <summary>The last failure, with its classification; cleared by a re-run.</summary>
    public JobError? LastError { get; init; }

    /// <summary>The agent's summary once it reported the work ready for a pull request (this attempt).</summary>
    public string? PrReadySummary { get; init; }

    /// <summary>The latest clarification round, if the agent asked questions.</summary>
    public Clarification? Clarification { get; init; }

    /// <summary>Chat mailbox: every undelivered message plus the most recent delivered ones.</summary>
    public IReadOnlyList<ChatMessage> Mailbox { get; init; } = [];

    /// <summary>The id the next chat message gets; ids are never reused, even after old messages are trimmed.</summary>
    public long NextMessageId { get; init; } = 1;

    /// <summary>Tokens and cost for this attempt and in total.</summary>
    public JobUsage Usage { get; init; } = JobUsage.Zero;

    /// <summary>The pull request, once opened (or from the start for a fix job).</summary>
    public PullRequestLink? PullRequest { get; init; }

    /// <summary>Fix rounds started in this run.</summary>
    public int FixRounds { get; init; }

    /// <summary>
    /// What the current fix round addresses: the feedback that started it, plus the rest of the same
    /// review (and any other feedback) that arrived before a worker took the round.
    /// </summary>
    public ReviewFeedbackNote? FixFeedback { get; init; }

    /// <summary>The current run's checkpoint once its work is pushed (see <see cref="PushedWork"/>).</summary>
    public PushedWork? Pushed { get; init; }

    /// <summary>Who asked for the current run: the trigger's author, or the person who re-ran the job; null when unknown.</summary>
    public string? TriggeredBy { get; init; }

    /// <summary>Work held back for a maintainer's approval because it changes protected paths (see <see cref="HeldWork"/>).</summary>
    public HeldWork? Held { get; init; }

    /// <summary>
    /// Feedback from another review that arrived while the round's agent was at work: it starts the
    /// next round once this one pushed, instead of being sent into the running agent.
    /// </summary>
    public ReviewFeedbackNote? PendingFeedback { get; init; }

    /// <summary>Fix rounds allowed per run; review feedback beyond it is declined.</summary>
    public required int MaxFixRounds { get; init; }

    /// <summary>The most recent state changes, oldest first, at most <see cref="JobActorOptions.HistoryLimit"/>.</summary>
    public IReadOnlyList<JobTransition> History { get; init; } = [];

    /// <summary>
    /// True when a worker may claim the job now: queued, or a fix round no worker holds, and the backoff has passed.
    /// The store's claim query selects the same rows (state, lease and run-after columns); this is its definition.
    /// </summary>
    public bool IsClaimable(DateTimeOffset now) =>
        (State == JobState.Queued || (State == JobState.Fixing && Lease is null)) && RunAfter <= now;

    /// <summary>True when a worker holds the job and the given fence is that claim's fence.</summary>
    public bool IsHeldBy(long fence) => Lease is not null && Lease.Fence == fence;
}
