namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// The transactional outbox: side effects (GitHub calls, pushes, notifications) recorded in the
/// same transaction as the state that asks for them, performed after commit, retried on transient
/// failure. The idempotency key is unique: enqueuing the same effect twice stores it once.
/// </summary>
public interface IOutbox
{
    /// <summary>Stores the item unless one with the same idempotency key exists. Returns whether it was new.</summary>
    Task<bool> EnqueueAsync(NewOutboxItem item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="max"/> due, unfinished items (by due time), leasing them to <paramref name="owner"/>.
    /// Each claim counts as one try: <see cref="OutboxItem.Attempts"/> includes the try being handed out.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(string owner, int max, TimeSpan lease, CancellationToken cancellationToken = default);

    Task CompleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Records a failed try: retried at <paramref name="retryAt"/>, or dead (never retried) when null.</summary>
    Task FailAsync(long id, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken = default);

    Task<OutboxItem?> GetByKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// When the next pending item can be claimed: its due time, or for an item a dispatcher holds, when that
    /// claim expires (its dispatcher died). Null when nothing is pending. A dispatcher sleeps until then
    /// instead of polling.
    /// </summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);
}

/// <param name="Kind">What to do, e.g. <c>github.comment</c>.</param>
/// <param name="IdempotencyKey">Unique per effect, e.g. <c>job/42/attempt/1/pr</c>.</param>
/// <param name="DueAt">Not before this time; null = now.</param>
public sealed record NewOutboxItem(string Kind, string IdempotencyKey, string PayloadJson, DateTimeOffset? DueAt = null);

/// <param name="Status"><c>pending</c>, <c>done</c> or <c>dead</c>.</param>
public sealed record OutboxItem(
    long Id,
    string Kind,
    string IdempotencyKey,
    string PayloadJson,
    DateTimeOffset DueAt,
    int Attempts,
    string Status,
    string? LastError,
    DateTimeOffset CreatedAt);
