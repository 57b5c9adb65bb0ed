using AgentMesh.Storage.Abstractions;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>The webhook inbox on PostgreSQL: <c>INSERT … ON CONFLICT DO NOTHING</c> tells a duplicate apart.</summary>
internal sealed class PostgresWebhookInbox(PostgresStoreContext context) : IWebhookInboxTable
{
    public async Task<InboxAddResult> AddAsync(InboxDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var command = context.Command(PostgresSql.AddDelivery)
            .With("delivery_id", delivery.DeliveryId)
            .With("event", delivery.Event)
            .WithNullable("action", NpgsqlDbType.Text, delivery.Action)
            .WithNullable("repository", NpgsqlDbType.Text, delivery.Repository)
            .WithNullable("installation_id", NpgsqlDbType.Bigint, delivery.InstallationId)
            .With("payload", delivery.Payload)
            .WithTime("received_at", delivery.ReceivedAt);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null
            ? InboxAddResult.Duplicate
            : InboxAddResult.Added;
    }

    public async Task<IReadOnlyList<InboxDelivery>> ClaimPendingAsync(string nodeId, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = context.Now();
        await using var command = context.Command(PostgresSql.ClaimPendingDeliveries)
            .WithTime("now", now)
            .With("max", max)
            .With("node", nodeId)
            .WithTime("expires", now + lease);
        var deliveries = await PostgresRows.ListAsync(command, PostgresRows.Delivery, cancellationToken).ConfigureAwait(false);
        // UPDATE ... RETURNING does not keep the CTE's order.
        return [.. deliveries.OrderBy(d => d.ReceivedAt).ThenBy(d => d.DeliveryId, StringComparer.Ordinal)];
    }

    public async Task MarkProcessedAsync(string deliveryId, string? error, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.MarkDeliveryProcessed)
            .With("delivery_id", deliveryId)
            .WithNullable("error", NpgsqlDbType.Text, error)
            .WithTime("now", context.Now());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<InboxDelivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.GetDelivery).With("delivery_id", deliveryId);
        return await PostgresRows.FirstOrDefaultAsync(command, PostgresRows.Delivery, cancellationToken).ConfigureAwait(false);
    }
}
