using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>Maps rows (in the column order of <see cref="SqliteSql"/>) to the contract's records.</summary>
internal static class SqliteRows
{
    public static ActorSnapshot Actor(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), UnixMilliseconds.ToTime(r.GetInt64(4)));

    public static ActorEventRecord ActorEvent(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), UnixMilliseconds.ToTime(r.GetInt64(5)));

    public static JobRecord Job(SqliteDataReader r) => new(
        Id: r.GetString(0),
        Repo: r.GetString(1),
        NaturalKey: r.GetString(2),
        Kind: r.GetString(3),
        State: JobStateNames.Parse(r.GetString(4)),
        Priority: r.GetInt32(5),
        RunAfter: UnixMilliseconds.ToTime(r.GetInt64(6)),
        Attempt: r.GetInt32(7),
        MaxAttempts: r.GetInt32(8),
        LeaseOwner: r.GetNullableString(9),
        ClaimedAt: r.GetNullableInt64(10) is { } claimed ? UnixMilliseconds.ToTime(claimed) : null,
        Fence: r.GetInt64(11),
        Version: r.GetInt64(12),
        DataJson: r.GetString(13),
        CreatedAt: UnixMilliseconds.ToTime(r.GetInt64(14)),
        UpdatedAt: UnixMilliseconds.ToTime(r.GetInt64(15)));

    public static JobEventRecord JobEvent(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), UnixMilliseconds.ToTime(r.GetInt64(2)), r.GetString(3), r.GetString(4));

    public static LogLine Log(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), UnixMilliseconds.ToTime(r.GetInt64(2)), r.GetString(3), r.GetString(4));

    public static OutboxItem Outbox(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        UnixMilliseconds.ToTime(r.GetInt64(4)),
        r.GetInt32(5),
        r.GetString(6),
        r.GetNullableString(7),
        UnixMilliseconds.ToTime(r.GetInt64(8)),
        r.GetNullableString(9));
}
