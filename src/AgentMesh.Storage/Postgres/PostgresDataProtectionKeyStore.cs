using AgentMesh.Storage.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>Data Protection's key ring on PostgreSQL: one insert per element, read whole, shared by every node of the database.</summary>
internal sealed class PostgresDataProtectionKeyStore(PostgresStoreContext context) : IDataProtectionKeyStore
{
    public async Task StoreAsync(string? friendlyName, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xml);
        await using var command = context.Command(PostgresSql.InsertDataProtectionKey)
            .WithNullable("friendly_name", NpgsqlDbType.Text, friendlyName)
            .With("xml", xml)
            .WithTime("now", context.Now());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DataProtectionKeyElement>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.SelectDataProtectionKeys);
        return await PostgresRows.ListAsync(command, Map, cancellationToken).ConfigureAwait(false);
    }

    private static DataProtectionKeyElement Map(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        r.IsDBNull(1) ? null : r.GetString(1),
        r.GetString(2),
        PostgresRows.Time(r, 3));
}
