using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;

namespace AgentMesh.Storage.Sqlite;

/// <summary>Job logs on SQLite: one row per line, a batch per transaction, numbered without gaps.</summary>
internal sealed class SqliteJobLog(SqliteDatabase database) : IJobLog
{
    public Task<long> AppendAsync(string jobId, IReadOnlyList<NewLogLine> lines, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return database.WriteAsync(context =>
        {
            var job = SqliteJobSequences.Read(context, jobId);
            if (lease is not null && !SqliteJobStore.Holds(job.LeaseOwner, job.Fence, lease))
            {
                throw new StaleLeaseException(jobId, lease.Fence);
            }
            if (lines.Count == 0)
            {
                return job.LastLog;
            }
            var sequence = job.LastLog;
            // One prepared statement for the whole batch: logs are the hottest write path.
            using (var insert = context.Command(SqliteSql.InsertLogLine)
                .With("@id", jobId)
                .With("@now", context.Now)
                .With("@seq", 0L)
                .With("@stream", string.Empty)
                .With("@text", string.Empty))
            {
                insert.Prepare();
                foreach (var line in lines)
                {
                    insert.Parameters["@seq"].Value = ++sequence;
                    insert.Parameters["@stream"].Value = line.Stream;
                    insert.Parameters["@text"].Value = line.Text;
                    insert.ExecuteNonQuery();
                }
            }
            context.Command(SqliteSql.SetLastLogSequence).With("@id", jobId).With("@seq", sequence).Execute();
            return sequence;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<LogLine>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.ReadLogLines)
            .With("@id", jobId)
            .With("@after", afterSequence)
            .With("@limit", limit)
            .ReadAll(SqliteRows.Log), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<LogLine>> TailAsync(string jobId, int count, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(connection => connection.Command(SqliteSql.TailLogLines)
            .With("@id", jobId)
            .With("@count", count)
            .ReadAll(SqliteRows.Log), cancellationToken).ConfigureAwait(false);

    public Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        database.WriteAsync(context => context.Command(SqliteSql.PurgeLogLines)
            .With("@cutoff", UnixMilliseconds.From(cutoff))
            .Execute(), cancellationToken);
}
