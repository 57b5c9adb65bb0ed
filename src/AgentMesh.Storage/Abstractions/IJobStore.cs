using AgentMesh.Core.Jobs;

namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// Job actors: one row per job with the columns claims need (state, repo, priority, run-after,
/// attempt, lease owner, claim time, fencing token) and the rest of the actor's state as JSON.
/// </summary>
/// <remarks>
/// Claimable: state <c>queued</c>, or state <c>fixing</c> with no lease holder (a fix round waiting
/// for a worker); run-after not in the future. A claim moves <c>queued</c> to <c>running</c> (a
/// <c>fixing</c> job stays <c>fixing</c>), sets the lease (owner and claim time) and increments the
/// fencing token.
/// <para>
/// The store keeps no per-repo limit: the claim is told one. A worker slot reads <see cref="ListClaimableAsync"/>
/// and asks each job's repo grain; the repo grain (one activation per repo, so one decision at a time) claims the
/// one job it chose with <see cref="TryClaimAsync"/>, passing the repo's configured limit, and the claim's own
/// statement counts the repo's held jobs against it.
/// </para>
/// <para>
/// A lease has no expiry: the store never takes it away by itself, however old the claim. Whether
/// the run holding it is alive is the grains' question (the job grain probes the run's agent-worker
/// grain, and asks again when a silo is declared dead; docs/architecture.md), and a lost run is
/// rescued by a turn (<see cref="TurnAsync"/> with the run's lease and
/// <see cref="JobChange.ReleaseLease"/>).
/// </para>
/// Every change that takes the lease away from its holder (release, stop, a rescue turn) increments
/// the fence too, so a stale holder's later writes are refused with <see cref="StaleLeaseException"/>.
/// </remarks>
public interface IJobStore
{
    /// <summary>
    /// Creates the job unless one with the same natural key exists (<c>INSERT … ON CONFLICT</c>);
    /// either way returns the row. The new job is <c>queued</c>, attempt 1, no lease, fence 0, version 1, and
    /// its history starts with <see cref="NewJob.Events"/>, written in the same transaction (a job's creation
    /// is one write: it is on the path from the webhook to the agent).
    /// </summary>
    Task<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default);

    Task<JobRecord?> FindByNaturalKeyAsync(string naturalKey, CancellationToken cancellationToken = default);

    /// <summary>Jobs matching the query, newest first (by creation time, then id).</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The jobs a worker may claim now, best first: state <c>queued</c>, or <c>fixing</c> with no lease owner;
    /// run-after not after the store clock's now; by priority (highest first), then run-after, then creation
    /// time, then id; at most <paramref name="limit"/> (0 gives none). A plain read: it locks nothing and
    /// claims nothing, so a listed job may be claimed by someone else before <see cref="TryClaimAsync"/>.
    /// Whether a job's repo may run another job is not asked here (the claim counts, with the repo grain's limit).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    Task<IReadOnlyList<JobRecord>> ListClaimableAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the job <paramref name="jobId"/> for <paramref name="owner"/> if it is claimable now (as
    /// <see cref="ListClaimableAsync"/> defines it) and fewer than <paramref name="repoLimit"/> jobs of
    /// <paramref name="repo"/> hold a claim (a lease owner, whatever their state and however old the claim; the name
    /// matched ignoring letter case, as <see cref="JobQuery.Repo"/> is; a released lease no longer counts).
    /// A claim: <c>queued</c> becomes <c>running</c> (<c>fixing</c> stays <c>fixing</c>), the lease owner is
    /// <paramref name="owner"/>, <see cref="JobRecord.ClaimedAt"/> and the update time the store clock's now, and the
    /// fence and the version go up by one; the answer carries the claimed row with its lease. Otherwise nothing is
    /// written and the answer says whether the repo was full (checked first: a full repo is answered full whether or
    /// not the job was claimable) or the job was not claimable (missing, held, not due yet, or in another state).
    /// </summary>
    /// <remarks>
    /// One conditional statement (on PostgreSQL the count and the claim travel as one round trip; it is on the path
    /// from the webhook to the agent): of concurrent claims of one job exactly one wins. The count is not a lock:
    /// two claims of different jobs of one repo at once could both see a free slot, so claims of one repo must be
    /// decided one at a time by the caller (the repo grain does).
    /// </remarks>
    /// <param name="repo">The repo whose run slots the claim must fit in: the job's repo, in any letter case.</param>
    /// <param name="repoLimit">How many of the repo's jobs may hold a claim at once, this one included.</param>
    /// <exception cref="ArgumentException"><paramref name="jobId"/>, <paramref name="owner"/> or <paramref name="repo"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="repoLimit"/> is negative.</exception>
    Task<ClaimAttempt> TryClaimAsync(string jobId, string owner, string repo, int repoLimit, CancellationToken cancellationToken = default);

    /// <summary>
    /// One turn of the job actor: locks the row, runs <paramref name="decide"/> on it, and in the
    /// same transaction applies the change as a compare-and-set (state and version as read),
    /// appends the events and outbox items. With a <paramref name="lease"/>, the turn is refused
    /// with <see cref="StaleLeaseException"/> unless the row's owner and fence still match; so of two
    /// turns rescuing the same lost run, only the first applies.
    /// An exception from <paramref name="decide"/> (e.g. an illegal transition) rolls back and propagates.
    /// A missing job throws <see cref="KeyNotFoundException"/>.
    /// </summary>
    Task<JobRecord> TurnAsync(string jobId, JobLease? lease, Func<JobRecord, JobChange> decide, CancellationToken cancellationToken = default);

    /// <summary>Deletes terminal jobs last updated before <paramref name="cutoff"/>, with their logs, events, mail and held work.</summary>
    Task<int> PurgeTerminalAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <param name="Id">Null lets the store generate one.</param>
/// <param name="NaturalKey">Unique per job, e.g. <c>owner/name#12:solve</c>.</param>
/// <param name="Kind">What the job does, e.g. <c>solve</c>.</param>
/// <param name="DataJson">The job actor's state beyond the columns.</param>
/// <param name="Events">The first events of the job's history (its creation); none are written for a duplicate.</param>
public sealed record NewJob(
    string? Id,
    string Repo,
    string NaturalKey,
    string Kind,
    string DataJson,
    int Priority = 0,
    int MaxAttempts = 3,
    DateTimeOffset? RunAfter = null,
    IReadOnlyList<NewEvent>? Events = null);

public sealed record EnqueueResult(JobRecord Job, bool Created);

/// <param name="LeaseOwner">Who holds the lease (the run's owner), or null.</param>
/// <param name="ClaimedAt">When the lease was claimed; null whenever <paramref name="LeaseOwner"/> is null
/// (and for a lease claimed before schema version 7, which recorded an expiry instead).</param>
public sealed record JobRecord(
    string Id,
    string Repo,
    string NaturalKey,
    string Kind,
    JobState State,
    int Priority,
    DateTimeOffset RunAfter,
    int Attempt,
    int MaxAttempts,
    string? LeaseOwner,
    DateTimeOffset? ClaimedAt,
    long Fence,
    long Version,
    string DataJson,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// A run's right to write to a job while the fence matches: it has no expiry, and ends only when a turn
/// releases it (which increments the fence) or the job is purged.
/// </summary>
public sealed record JobLease(string JobId, string Owner, long Fence);

public sealed record ClaimedJob(JobRecord Job, JobLease Lease);

/// <summary>What <see cref="IJobStore.TryClaimAsync"/> did.</summary>
/// <param name="Claimed">The claimed row and its lease; null when nothing was written.</param>
/// <param name="RepoFull">Not claimed because the repo's jobs held as many claims as its limit allows; false when
/// claimed, or when the job itself was not claimable.</param>
public sealed record ClaimAttempt(ClaimedJob? Claimed, bool RepoFull)
{
    public static ClaimAttempt Full { get; } = new(null, RepoFull: true);

    public static ClaimAttempt NotClaimable { get; } = new(null, RepoFull: false);

    public static ClaimAttempt Of(ClaimedJob claimed) => new(claimed, RepoFull: false);
}

/// <summary>The change a job turn decided.</summary>
/// <param name="State">The new state (may equal the old one).</param>
/// <param name="DataJson">The new actor state JSON.</param>
/// <param name="Outbox">Side effects to perform after commit, stored as this job's (see <see cref="IOutbox"/>): the job's grain performs them.</param>
/// <param name="RunAfter">A new run-after time, or null to keep it.</param>
/// <param name="Attempt">A new attempt number, or null to keep it.</param>
/// <param name="ReleaseLease">Clears the lease (owner and claim time) and increments the fence.</param>
public sealed record JobChange(
    JobState State,
    string DataJson,
    IReadOnlyList<NewEvent> Events,
    IReadOnlyList<NewOutboxItem> Outbox,
    DateTimeOffset? RunAfter = null,
    int? Attempt = null,
    bool ReleaseLease = false);

/// <param name="Repo">Only this repository's jobs, its name matched ignoring letter case (as GitHub matches it).</param>
public sealed record JobQuery(
    string? Repo = null,
    IReadOnlyList<JobState>? States = null,
    int Limit = 100,
    int Offset = 0);

/// <summary>A write from a lease holder whose lease was taken away (rescued by a turn, stopped, re-claimed).</summary>
public sealed class StaleLeaseException : Exception
{
    public StaleLeaseException(string jobId, long fence)
        : base($"The lease on job {jobId} with fence {fence} is no longer held; the write was refused.")
    {
        JobId = jobId;
        Fence = fence;
    }

    public StaleLeaseException()
    {
        JobId = string.Empty;
    }

    public StaleLeaseException(string message)
        : base(message)
    {
        JobId = string.Empty;
    }

    public StaleLeaseException(string message, Exception innerException)
        : base(message, innerException)
    {
        JobId = string.Empty;
    }

    public string JobId { get; }

    public long Fence { get; }
}
