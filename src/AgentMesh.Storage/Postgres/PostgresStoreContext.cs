using Npgsql;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>What every role of the PostgreSQL store shares: the pooled data source and the clock.</summary>
internal sealed class PostgresStoreContext(NpgsqlDataSource dataSource, TimeProvider timeProvider)
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public TimeProvider Clock { get; } = timeProvider;

    /// <summary>
    /// "Now" for every write comes from the injected clock, not the server's <c>now()</c>, so tests can move
    /// time. In a fleet each node's clock decides its own leases: keep node clocks in sync (NTP).
    /// </summary>
    public DateTimeOffset Now() => ToStored(Clock.GetUtcNow());

    /// <summary>
    /// Times are kept to the millisecond, like the SQLite backend, so a record reads back equal on both
    /// backends (PostgreSQL itself would keep microseconds).
    /// </summary>
    public static DateTimeOffset ToStored(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMillisecond));
    }

    public NpgsqlCommand Command(string sql) => DataSource.CreateCommand(sql);

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);
}

/// <summary>Typed parameters, so nulls and arrays reach PostgreSQL with the right type.</summary>
internal static class PostgresParameters
{
    public static NpgsqlCommand With<T>(this NpgsqlCommand command, string name, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
        return command;
    }

    public static NpgsqlCommand WithTime(this NpgsqlCommand command, string name, DateTimeOffset value)
    {
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>(name, NpgsqlDbType.TimestampTz) { TypedValue = PostgresStoreContext.ToStored(value) });
        return command;
    }

    public static NpgsqlCommand WithNullable(this NpgsqlCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type)
        {
            Value = value switch
            {
                null => DBNull.Value,
                DateTimeOffset time => PostgresStoreContext.ToStored(time),
                _ => value,
            },
        });
        return command;
    }
}
