namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// The transactional outbox: side effects (GitHub calls, pushes, notifications) recorded in the
/// same transaction as the state that asks for them, performed after commit, retried on transient
/// failure. The idempotency key is unique: enqueuing the same effect twice stores it once.
/// </summary>
/// <remarks>
/// Every item belongs to a job (<see cref="OutboxItem.JobId"/>): the items a job's turn writes
/// (<see cref="JobChange.Outbox"/>) carry that job's id. The job's grain performs its own job's effects,
/// one activation per job, so one job's effects go out in order: the turn that wrote them wakes it, it
/// claims with <see cref="ClaimDueForJobAsync"/>, and an Orleans reminder set for
/// <see cref="NextDueForJobAsync"/> brings it back for a retry. A node starting up finds the jobs with
/// work left with <see cref="JobsWithPendingEffectsAsync"/>. Items of actor turns
/// (<see cref="ActorDecision{TResult}.Outbox"/>) have no job (<see cref="OutboxItem.JobId"/> null):
/// they are stored, but no job claims them.
/// </remarks>
public interface IOutbox
{
    /// <summary>
    /// Stores the item as an effect of job <paramref name="jobId"/> unless one with the same idempotency key
    /// exists (of any job). Returns whether it was new.
    /// </summary>
    Task<bool> EnqueueAsync(string jobId, NewOutboxItem item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="max"/> of job <paramref name="jobId"/>'s due, pending items that nobody holds
    /// (or whose holder's lease ran out), by due time then id, leasing them to <paramref name="owner"/> for
    /// <paramref name="lease"/>. Never returns another job's items. Each claim counts as one try:
    /// <see cref="OutboxItem.Attempts"/> includes the try being handed out.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimDueForJobAsync(string jobId, string owner, int max, TimeSpan lease, CancellationToken cancellationToken = default);

    Task CompleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Records a failed try: retried at <paramref name="retryAt"/>, or dead (never retried) when null.</summary>
    Task FailAsync(long id, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken = default);

    Task<OutboxItem?> GetByKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// When job <paramref name="jobId"/>'s next pending item can be claimed: its due time, or for an item someone
    /// holds, when that claim expires (its holder died). Null when the job has nothing pending. The job's grain
    /// sets its retry reminder for then instead of polling.
    /// </summary>
    Task<DateTimeOffset?> NextDueForJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="max"/> distinct ids of jobs that have pending items (due or not, held or not),
    /// ordered by each job's earliest due time. Jobs whose items are all done or dead are not listed. For a
    /// node's start-up sweep: it wakes each listed job's grain, which then performs its own effects.
    /// </summary>
    Task<IReadOnlyList<string>> JobsWithPendingEffectsAsync(int max, CancellationToken cancellationToken = default);
}

/// <param name="Kind">What to do, e.g. <c>github.comment</c>.</param>
/// <param name="IdempotencyKey">Unique per effect, e.g. <c>job/42/attempt/1/pr</c>.</param>
/// <param name="DueAt">Not before this time; null = now.</param>
public sealed record NewOutboxItem(string Kind, string IdempotencyKey, string PayloadJson, DateTimeOffset? DueAt = null);

/// <param name="Status"><c>pending</c>, <c>done</c> or <c>dead</c>.</param>
/// <param name="JobId">The job whose effect this is (its grain performs it); null for an actor turn's item.</param>
public sealed record OutboxItem(
    long Id,
    string Kind,
    string IdempotencyKey,
    string PayloadJson,
    DateTimeOffset DueAt,
    int Attempts,
    string Status,
    string? LastError,
    DateTimeOffset CreatedAt,
    string? JobId);
