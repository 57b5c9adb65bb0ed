using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// The transactional outbox on SQLite. Items are inserted by turns in the turn's transaction;
/// the unique idempotency key (<c>ON CONFLICT DO NOTHING</c>) stores each effect once, ever.
/// <see cref="OutboxItem.Attempts"/> counts claims: each claim is one try.
/// </summary>
internal sealed class SqliteOutbox(SqliteDatabase database) : IOutbox
{
    public Task<bool> EnqueueAsync(NewOutboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return database.WriteAsync(context => Insert(context, item), cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(string owner, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var claimed = await database.WriteAsync(context => context.Command(SqliteSql.ClaimOutboxItems)
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

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection =>
        {
            using var command = connection.Command(SqliteSql.NextOutboxDue);
            return command.ExecuteScalar() is long at ? UnixMilliseconds.ToTime(at) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <summary>Inserts items inside the caller's transaction (a turn's), skipping known keys.</summary>
    internal static void Insert(SqliteWriteContext context, IReadOnlyList<NewOutboxItem> items)
    {
        foreach (var item in items)
        {
            Insert(context, item);
        }
    }

    private static bool Insert(SqliteWriteContext context, NewOutboxItem item) =>
        context.Command(SqliteSql.InsertOutboxItem)
            .With("@kind", item.Kind)
            .With("@key", item.IdempotencyKey)
            .With("@payload", item.PayloadJson)
            .With("@due", UnixMilliseconds.From(item.DueAt) ?? context.Now)
            .With("@now", context.Now)
            .Execute() == 1;
}
