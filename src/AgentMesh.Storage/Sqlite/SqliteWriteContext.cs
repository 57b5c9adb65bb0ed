using AgentMesh.Storage.Abstractions;
using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// One write transaction: its connection, its "now", and the change-feed entries it will publish
/// after commit, coalesced to one per job (the most telling kind wins: a turn that changes the row
/// and appends events is a <see cref="StoreChangeKind.Job"/> change).
/// </summary>
internal sealed class SqliteWriteContext(SqliteConnection connection, SqliteTransaction transaction, long now)
{
    private readonly Dictionary<string, StoreChange> _changes = new(StringComparer.Ordinal);

    public long Now { get; } = now;

    public IReadOnlyCollection<StoreChange> Changes => _changes.Values;

    public SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public void Changed(StoreChangeKind kind, string jobId, long sequence)
    {
        if (!_changes.TryGetValue(jobId, out var existing)
            || Rank(kind) > Rank(existing.Kind)
            || (kind == existing.Kind && sequence > existing.Sequence))
        {
            _changes[jobId] = new StoreChange(kind, jobId, sequence);
        }
    }

    private static int Rank(StoreChangeKind kind) => kind switch
    {
        StoreChangeKind.Job => 4,
        StoreChangeKind.Event => 3,
        StoreChangeKind.Log => 2,
        StoreChangeKind.Mailbox => 1,
        _ => 0,
    };
}
