using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Postgres;

/// <summary>A job's event history on PostgreSQL (rows appended by job turns).</summary>
internal sealed class PostgresJobHistory(PostgresStoreContext context) : IJobHistory
{
    public async Task<IReadOnlyList<JobEventRecord>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.ReadJobEvents).With("job_id", jobId).With("after", afterSequence).With("limit", limit);
        return await PostgresRows.ListAsync(
            command,
            r => new JobEventRecord(r.GetString(0), r.GetInt64(1), PostgresRows.Time(r, 2), r.GetString(3), r.GetString(4)),
            cancellationToken).ConfigureAwait(false);
    }
}
