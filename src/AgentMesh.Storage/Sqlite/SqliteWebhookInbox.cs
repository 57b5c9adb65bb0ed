using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// The webhook inbox on SQLite. De-duplication is the primary key on the delivery id with
/// <c>ON CONFLICT DO NOTHING</c>; <c>RETURNING</c> tells a new row from a duplicate.
/// </summary>
internal sealed class SqliteWebhookInbox(SqliteDatabase database) : IWebhookInboxTable
{
    public Task<InboxAddResult> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return database.WriteAsync(context =>
        {
            var inserted = context.Command(SqliteSql.InsertDelivery)
                .With("@id", delivery.DeliveryId)
                .With("@event", delivery.Event)
                .With("@action", delivery.Action)
                .With("@repository", delivery.Repository)
                .With("@installation", delivery.InstallationId)
                .With("@payload", delivery.Payload)
                .With("@receivedAt", UnixMilliseconds.From(delivery.ReceivedAt))
                .ReadFirstOrDefault(r => r.GetString(0));
            return inserted is null ? InboxAddResult.Duplicate : InboxAddResult.Added;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<InboxDelivery>> ClaimPendingAsync(string nodeId, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var claimed = await database.WriteAsync(context => context.Command(SqliteSql.ClaimDeliveries)
            .With("@owner", nodeId)
            .With("@expires", UnixMilliseconds.Add(context.Now, lease))
            .With("@now", context.Now)
            .With("@max", max)
            .ReadAll(SqliteRows.Delivery), cancellationToken).ConfigureAwait(false);
        // RETURNING gives no order guarantee.
        return [.. claimed.OrderBy(d => d.ReceivedAt).ThenBy(d => d.DeliveryId, StringComparer.Ordinal)];
    }

    public Task MarkProcessedAsync(string deliveryId, string? error, CancellationToken cancellationToken = default) =>
        // An unknown id changes nothing, as in the PostgreSQL backend: the delivery may have been purged.
        database.WriteAsync(context => context.Command(SqliteSql.MarkDeliveryProcessed)
            .With("@id", deliveryId)
            .With("@error", error)
            .With("@now", context.Now)
            .Execute(), cancellationToken);

    public Task<InboxDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.Command(SqliteSql.SelectDelivery)
            .With("@id", deliveryId)
            .ReadFirstOrDefault(SqliteRows.Delivery), cancellationToken);
}
