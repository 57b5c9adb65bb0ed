
using AgentMesh.Storage.Abstractions;
using Npgsql;

namespace AgentMesh.Storage.Postgres;

/// <summary>Maps rows to records; column orders match the column lists in <see cref="PostgresSql"/>.</summary>
internal static class PostgresRows
{
    public static JobRecord Job(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        AgentMesh.Core.Jobs.JobStateNames.Parse(r.GetString(4)),
        r.GetInt32(5),
        Time(r, 6),
        r.GetInt32(7),
        r.GetInt32(8),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : Time(r, 10),
        r.GetInt64(11),
        r.GetInt64(12),
        r.GetString(13),
        Time(r, 14),
        Time(r, 15));

    public static ActorSnapshot Actor(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), Time(r, 4));

    public static OutboxItem Outbox(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        Time(r, 4),
        r.GetInt32(5),
        r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        Time(r, 8),
        r.IsDBNull(9) ? null : r.GetString(9));

    public static DateTimeOffset Time(NpgsqlDataReader r, int ordinal) => r.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>Reads every row of a command with <paramref name="map"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    /// <summary>The first row mapped with <paramref name="map"/>, or default when there is none.</summary>
    public static async Task<T?> FirstOrDefaultAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : default;
    }
}
