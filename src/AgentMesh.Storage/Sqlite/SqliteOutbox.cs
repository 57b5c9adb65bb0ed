using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// The transactional outbox on SQLite. Items are inserted by turns in the turn's transaction, a job turn's
/// with the job's id; the unique idempotency key (<c>ON CONFLICT DO NOTHING</c>) stores each effect once, ever.
/// Items are claimed per job. <see cref="OutboxItem.Attempts"/> counts claims: each claim is one try.
/// </summary>
internal sealed class SqliteOutbox(SqliteDatabase database) : IOutbox
{
    public Task<bool> EnqueueAsync(string jobId, NewOutboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(item);
        return database.WriteAsync(context => Insert(context, jobId, item), cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimDueForJobAsync(
        string jobId, string owner, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var claimed = await database.WriteAsync(context => context.Command(SqliteSql.ClaimJobOutboxItems)
            .With("@job", jobId)
            .With("@owner", owner)
            .With("@expires", UnixMilliseconds.Add(context.Now, lease))
            .With("@now", context.Now)
            .With("@max", max)
            .ReadAll(SqliteRows.Outbox), cancellationToken).ConfigureAwait(false);
        // RETURNING gives no order guarantee.
        return [.. claimed.OrderBy(i => i.DueAt).ThenBy(i => i.Id)];
    }

    public Task CompleteAsync(long id, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context => context.Command(SqliteSql.CompleteOutboxItem)
            .With("@id", id)
            .With("@now", context.Now)
            .Execute(), cancellationToken);

    public Task FailAsync(long id, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context => context.Command(SqliteSql.FailOutboxItem)
            .With("@id", id)
            .With("@error", error)
            .With("@retryAt", UnixMilliseconds.From(retryAt))
            .With("@now", context.Now)
            .Execute(), cancellationToken);

    public Task<OutboxItem?> GetByKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.Command(SqliteSql.SelectOutboxItemByKey)
            .With("@key", idempotencyKey)
            .ReadFirstOrDefault(SqliteRows.Outbox), cancellationToken);

    public Task<DateTimeOffset?> NextDueForJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return database.ReadAsync(connection =>
        {
            using var command = connection.Command(SqliteSql.NextJobOutboxDue).With("@job", jobId);
            return command.ExecuteScalar() is long at ? UnixMilliseconds.ToTime(at) : (DateTimeOffset?)null;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> JobsWithPendingEffectsAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return await database.ReadAsync(connection => connection.Command(SqliteSql.JobsWithPendingOutboxItems)
            .With("@max", max)
            .ReadAll(r => r.GetString(0)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts items inside the caller's transaction (a turn's), skipping known keys: a job turn's with its
    /// <paramref name="jobId"/>, an actor turn's with null.
    /// </summary>
    internal static void Insert(SqliteWriteContext context, string? jobId, IReadOnlyList<NewOutboxItem> items)
    {
        foreach (var item in items)
        {
            Insert(context, jobId, item);
        }
    }

    private static bool Insert(SqliteWriteContext context, string? jobId, NewOutboxItem item) =>
        context.Command(SqliteSql.InsertOutboxItem)
            .With("@kind", item.Kind)
            .With("@key", item.IdempotencyKey)
            .With("@payload", item.PayloadJson)
            .With("@due", UnixMilliseconds.From(item.DueAt) ?? context.Now)
            .With("@now", context.Now)
            .With("@job", jobId)
            .Execute() == 1;
}
