using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>Data Protection's key ring on SQLite: one insert per element, read whole.</summary>
internal sealed class SqliteDataProtectionKeyStore(SqliteDatabase database) : IDataProtectionKeyStore
{
    public Task StoreAsync(string? friendlyName, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return database.WriteAsync(context => context.Command(SqliteSql.InsertDataProtectionKey)
            .With("@name", friendlyName)
            .With("@xml", xml)
            .With("@now", context.Now)
            .Execute(), cancellationToken);
    }

    public async Task<IReadOnlyList<DataProtectionKeyElement>> ReadAllAsync(CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.SelectDataProtectionKeys).ReadAll(Map), cancellationToken).ConfigureAwait(false);

    private static DataProtectionKeyElement Map(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetNullableString(1),
        r.GetString(2),
        UnixMilliseconds.ToTime(r.GetInt64(3)));
}
