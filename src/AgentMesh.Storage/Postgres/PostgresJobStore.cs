using static AgentMesh.Core.Jobs.JobStateNames;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;
using Npgsql;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>
/// Job actors on PostgreSQL: the claim of one job in one conditional statement (of concurrent claims one
/// wins), and fenced worker writes.
/// </summary>
internal sealed class PostgresJobStore(PostgresStoreContext context) : IJobStore
{
    public async Task<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = context.Now();
        await using (var command = context.Command(PostgresSql.EnqueueJob))
        {
            command.With("id", job.Id ?? JobIds.New(context.Clock))
                .With("repo", job.Repo)
                .With("natural_key", job.NaturalKey)
                .With("kind", job.Kind)
                .With("priority", job.Priority)
                .WithTime("run_after", job.RunAfter ?? now)
                .With("max_attempts", job.MaxAttempts)
                .With("data", job.DataJson)
                .WithTime("now", now)
                .With("types", (job.Events ?? []).Select(e => e.Type).ToArray())
                .With("datas", (job.Events ?? []).Select(e => e.DataJson).ToArray());
            var created = await PostgresRows.FirstOrDefaultAsync(command, PostgresRows.Job, cancellationToken).ConfigureAwait(false);
            if (created is not null)
            {
                return new EnqueueResult(created, Created: true);
            }
        }
        // A new statement: its snapshot sees the row that won the natural key, even if it committed just now.
        var existing = await FindByNaturalKeyAsync(job.NaturalKey, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job with natural key {job.NaturalKey} conflicted but was deleted before it could be read.");
        return new EnqueueResult(existing, Created: false);
    }

    public async Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.GetJob).With("id", jobId);
        return await PostgresRows.FirstOrDefaultAsync(command, PostgresRows.Job, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord?> FindByNaturalKeyAsync(string naturalKey, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.FindJobByNaturalKey).With("natural_key", naturalKey);
        return await PostgresRows.FirstOrDefaultAsync(command, PostgresRows.Job, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = context.Command(PostgresSql.ListJobs)
            .WithNullable("repo", NpgsqlDbType.Text, query.Repo)
            .WithNullable("states", NpgsqlDbType.Array | NpgsqlDbType.Text, query.States?.Select(s => s.ToWire()).ToArray())
            .With("limit", query.Limit)
            .With("offset", query.Offset);
        return await PostgresRows.ListAsync(command, PostgresRows.Job, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobRecord>> ListClaimableAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var command = context.Command(PostgresSql.ListClaimableJobs)
            .WithTime("now", context.Now())
            .With("limit", limit);
        return await PostgresRows.ListAsync(command, PostgresRows.Job, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ClaimAttempt> TryClaimAsync(string jobId, string owner, string repo, int repoLimit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentException.ThrowIfNullOrEmpty(repo);
        ArgumentOutOfRangeException.ThrowIfNegative(repoLimit);
        await using var command = context.Command(PostgresSql.TryClaimJob)
            .With("id", jobId)
            .With("owner", owner)
            .With("repo", repo)
            .With("repo_limit", repoLimit)
            .WithTime("now", context.Now());
        return await PostgresRows.FirstOrDefaultAsync(command, ClaimAttemptOf, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The claim's statement answered no row; it always answers one.");

        ClaimAttempt ClaimAttemptOf(NpgsqlDataReader row)
        {
            if (row.IsDBNull(0))
            {
                return row.GetBoolean(PostgresSql.TryClaimJobRepoFull) ? ClaimAttempt.Full : ClaimAttempt.NotClaimable;
            }
            var job = PostgresRows.Job(row);
            return ClaimAttempt.Of(new ClaimedJob(job, new JobLease(job.Id, owner, job.Fence)));
        }
    }

    public async Task<JobRecord> TurnAsync(string jobId, JobLease? lease, Func<JobRecord, JobChange> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        var now = context.Now();
        await using var connection = await context.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        JobRecord current;
        long eventSeq;
        await using (var lockRow = PostgresStoreContext.Command(connection, PostgresSql.LockJob, transaction).With("id", jobId))
        {
            await using var reader = await lockRow.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new KeyNotFoundException($"Job {jobId} does not exist.");
            }
            current = PostgresRows.Job(reader);
            eventSeq = reader.GetInt64(16);
        }

        if (lease is not null && (current.LeaseOwner != lease.Owner || current.Fence != lease.Fence))
        {
            throw new StaleLeaseException(jobId, lease.Fence);
        }

        var change = decide(current);
        ArgumentNullException.ThrowIfNull(change);

        JobRecord updated;
        await using (var apply = PostgresStoreContext.Command(connection, PostgresSql.ApplyJobChange, transaction))
        {
            apply.With("state", change.State.ToWire())
                .With("data", change.DataJson)
                .WithNullable("run_after", NpgsqlDbType.TimestampTz, change.RunAfter)
                .WithNullable("attempt", NpgsqlDbType.Integer, change.Attempt)
                .With("release", change.ReleaseLease)
                .With("event_count", (long)change.Events.Count)
                .WithTime("now", now)
                .With("id", jobId)
                .With("version", current.Version)
                .With("expected_state", current.State.ToWire())
                .WithNullable("owner", NpgsqlDbType.Text, lease?.Owner)
                .With("fence", lease?.Fence ?? 0L);
            // The row is locked and the lease was checked before deciding, so this cannot miss; it guards
            // against a future code path that forgets the lock.
            updated = await PostgresRows.FirstOrDefaultAsync(apply, PostgresRows.Job, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Job {jobId} changed under its row lock (version {current.Version}).");
        }

        if (change.Events.Count > 0)
        {
            await using var events = PostgresStoreContext.Command(connection, PostgresSql.InsertJobEvents, transaction);
            await events.With("job_id", jobId)
                .With("first_seq", eventSeq + 1)
                .WithTime("now", now)
                .With("types", change.Events.Select(e => e.Type).ToArray())
                .With("datas", change.Events.Select(e => e.DataJson).ToArray())
                .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresOutbox.InsertAsync(connection, transaction, jobId, change.Outbox, now, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task<int> PurgeTerminalAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.PurgeTerminalJobs).WithTime("cutoff", cutoff);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
