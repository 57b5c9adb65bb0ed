using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Storage.Postgres;

/// <summary>Held work on PostgreSQL: one row per job (bytea), deleted with the job by the purge.</summary>
internal sealed class PostgresHeldWorkStore(PostgresStoreContext context) : IHeldWorkStore
{
    public async Task SaveAsync(NewHeldWorkBundle work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var command = context.Command(PostgresSql.UpsertHeldWork)
            .With("job_id", work.JobId)
            .With("run", work.Run)
            .With("commit_sha", work.CommitSha)
            .With("bundle", work.Bundle)
            .WithTime("now", context.Now());
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new KeyNotFoundException($"Job {work.JobId} does not exist.");
        }
    }

    public async Task<HeldWorkBundle?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.SelectHeldWork).With("job_id", jobId);
        return await PostgresRows.FirstOrDefaultAsync(
            command,
            r => new HeldWorkBundle(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetFieldValue<byte[]>(3), PostgresRows.Time(r, 4)),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.DeleteHeldWork).With("job_id", jobId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
