using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Sqlite;

/// <summary>A job's events: appended by job turns, numbered 1..n per job.</summary>
internal sealed class SqliteJobHistory(SqliteDatabase database) : IJobHistory
{
    public async Task<IReadOnlyList<JobEventRecord>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.ReadJobEvents)
            .With("@id", jobId)
            .With("@after", afterSequence)
            .With("@limit", limit)
            .ReadAll(SqliteRows.JobEvent), cancellationToken).ConfigureAwait(false);

    /// <summary>Appends events inside the caller's transaction (a turn's).</summary>
    internal static void Append(SqliteWriteContext context, string jobId, IReadOnlyList<NewEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        var sequence = SqliteJobSequences.Read(context, jobId).LastEvent;
        foreach (var newEvent in events)
        {
            context.Command(SqliteSql.InsertJobEvent)
                .With("@id", jobId)
                .With("@seq", ++sequence)
                .With("@now", context.Now)
                .With("@type", newEvent.Type)
                .With("@data", newEvent.DataJson)
                .Execute();
        }
        context.Command(SqliteSql.SetLastEventSequence).With("@id", jobId).With("@seq", sequence).Execute();
    }
}
