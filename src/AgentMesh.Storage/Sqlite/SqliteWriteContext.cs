using Microsoft.Data.Sqlite;

namespace AgentMesh.Storage.Sqlite;

/// <summary>One write transaction: its connection and its "now".</summary>
internal sealed class SqliteWriteContext(SqliteConnection connection, SqliteTransaction transaction, long now)
{
    public long Now { get; } = now;

    public SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
