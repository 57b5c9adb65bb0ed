using AgentMesh.Storage.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>
/// The transactional outbox on PostgreSQL: unique idempotency keys; each item belongs to a job and is claimed
/// per job, with SKIP LOCKED and a lease.
/// </summary>
internal sealed class PostgresOutbox(PostgresStoreContext context) : IOutbox
{
    /// <summary>
    /// Inserts a turn's outbox items inside its transaction, a job turn's with its <paramref name="jobId"/>, an
    /// actor turn's with null; an existing idempotency key is kept as it is.
    /// </summary>
    public static async Task InsertAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string? jobId,
        IReadOnlyList<NewOutboxItem> items,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }
        await using var command = PostgresStoreContext.Command(connection, PostgresSql.InsertOutboxItems, transaction);
        await command.With("kinds", items.Select(i => i.Kind).ToArray())
            .With("keys", items.Select(i => i.IdempotencyKey).ToArray())
            .With("payloads", items.Select(i => i.PayloadJson).ToArray())
            .With("dues", items.Select(i => PostgresStoreContext.ToStored(i.DueAt ?? now)).ToArray())
            .WithTime("now", now)
            .WithNullable("job_id", NpgsqlDbType.Text, jobId)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> EnqueueAsync(string jobId, NewOutboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(item);
        var now = context.Now();
        await using var command = context.Command(PostgresSql.EnqueueOutboxItem)
            .With("kind", item.Kind)
            .With("key", item.IdempotencyKey)
            .With("payload", item.PayloadJson)
            .WithTime("due", item.DueAt ?? now)
            .WithTime("now", now)
            .With("job_id", jobId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimDueForJobAsync(
        string jobId, string owner, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var now = context.Now();
        await using var command = context.Command(PostgresSql.ClaimDueJobOutboxItems)
            .With("job_id", jobId)
            .WithTime("now", now)
            .With("max", max)
            .With("owner", owner)
            .WithTime("expires", now + lease);
        var items = await PostgresRows.ListAsync(command, PostgresRows.Outbox, cancellationToken).ConfigureAwait(false);
        // UPDATE ... RETURNING does not keep the CTE's order.
        return [.. items.OrderBy(i => i.DueAt).ThenBy(i => i.Id)];
    }

    public async Task CompleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.CompleteOutboxItem).With("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FailAsync(long id, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.FailOutboxItem)
            .With("id", id)
            .With("error", error)
            .WithNullable("retry_at", NpgsqlDbType.TimestampTz, retryAt);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> NextDueForJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        await using var command = context.Command(PostgresSql.NextJobOutboxDue).With("job_id", jobId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) switch
        {
            DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
            DateTimeOffset at => at,
            _ => null,
        };
    }

    public async Task<IReadOnlyList<string>> JobsWithPendingEffectsAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var command = context.Command(PostgresSql.JobsWithPendingOutboxItems).With("max", max);
        return await PostgresRows.ListAsync(command, r => r.GetString(0), cancellationToken).ConfigureAwait(false);
    }

    public async Task<OutboxItem?> GetByKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.GetOutboxItemByKey).With("key", idempotencyKey);
        return await PostgresRows.FirstOrDefaultAsync(command, PostgresRows.Outbox, cancellationToken).ConfigureAwait(false);
    }
}
