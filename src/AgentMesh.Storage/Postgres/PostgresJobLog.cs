using AgentMesh.Storage.Abstractions;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>Job logs on PostgreSQL: one row per line, a batch per statement, gap-free sequences from the job row.</summary>
internal sealed class PostgresJobLog(PostgresStoreContext context) : IJobLog
{
    public async Task<long> AppendAsync(string jobId, IReadOnlyList<NewLogLine> lines, JobLease? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var sql = lines.Count == 0 ? PostgresSql.LastLogSequence : PostgresSql.AppendLogLines;
        await using var command = context.Command(sql)
            .With("job_id", jobId)
            .WithNullable("owner", NpgsqlDbType.Text, lease?.Owner)
            .With("fence", lease?.Fence ?? 0L);
        if (lines.Count > 0)
        {
            command.With("count", (long)lines.Count)
                .WithTime("now", context.Now())
                .With("streams", lines.Select(l => l.Stream).ToArray())
                .With("texts", lines.Select(l => l.Text).ToArray());
        }
        var last = await PostgresRows.FirstOrDefaultAsync(command, r => (long?)r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        if (last is { } sequence)
        {
            return sequence;
        }
        if (lease is not null)
        {
            throw new StaleLeaseException(jobId, lease.Fence);
        }
        throw new KeyNotFoundException($"Job {jobId} does not exist.");
    }

    public async Task<IReadOnlyList<LogLine>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.ReadLogLines).With("job_id", jobId).With("after", afterSequence).With("limit", limit);
        return await PostgresRows.ListAsync(command, Line, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LogLine>> TailAsync(string jobId, int count, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.TailLogLines).With("job_id", jobId).With("count", count);
        return await PostgresRows.ListAsync(command, Line, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.PurgeLogLines).WithTime("cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static LogLine Line(Npgsql.NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), PostgresRows.Time(r, 2), r.GetString(3), r.GetString(4));
}
