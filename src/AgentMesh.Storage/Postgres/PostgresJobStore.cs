using System.Text.Json;
using static AgentMesh.Core.Jobs.JobStateNames;
using JobState = AgentMesh.Core.Jobs.JobState;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;
using NpgsqlTypes;

namespace AgentMesh.Storage.Postgres;

/// <summary>
/// Job actors on PostgreSQL: claims in one statement with <c>FOR UPDATE SKIP LOCKED</c>, per-repo limits kept
/// exact under concurrency, fenced worker writes, and the rescue of expired leases.
/// </summary>
internal sealed class PostgresJobStore(PostgresStoreContext context) : IJobStore
{
    /// <summary>Rescues at most this many jobs per call; the maintenance loop calls again for the rest.</summary>
    private const int RescueBatch = 500;

    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

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
                .WithTime("now", now);
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

    public async Task<ClaimedJob?> ClaimAsync(string owner, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        var now = context.Now();
        var expires = now + leaseDuration;
        await using var command = context.Command(PostgresSql.ClaimJob)
            .WithTime("now", now)
            .With("owner", owner)
            .WithTime("expires", expires);
        var job = await PostgresRows.FirstOrDefaultAsync(command, PostgresRows.Job, cancellationToken).ConfigureAwait(false);
        return job is null ? null : new ClaimedJob(job, new JobLease(job.Id, owner, job.Fence, job.LeaseExpiresAt!.Value));
    }

    public async Task<JobLease> RenewLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var command = context.Command(PostgresSql.RenewLease)
            .WithTime("expires", context.Now() + leaseDuration)
            .With("id", lease.JobId)
            .With("owner", lease.Owner)
            .With("fence", lease.Fence);
        var expires = await PostgresRows.FirstOrDefaultAsync(command, r => (DateTimeOffset?)PostgresRows.Time(r, 0), cancellationToken)
            .ConfigureAwait(false);
        return expires is { } at ? lease with { ExpiresAt = at } : throw new StaleLeaseException(lease.JobId, lease.Fence);
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

        await PostgresOutbox.InsertAsync(connection, transaction, change.Outbox, now, cancellationToken).ConfigureAwait(false);

        if (change.ReleaseLease && current.LeaseOwner is not null)
        {
            await using var slots = PostgresStoreContext.Command(connection, PostgresSql.ReleaseRepoSlots, transaction);
            await slots.With("repos", new[] { current.Repo }).With("counts", new[] { 1 })
                .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task<IReadOnlyList<JobRecord>> RescueExpiredLeasesAsync(Func<int, TimeSpan> backoff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backoff);
        var now = context.Now();
        await using var connection = await context.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var take = PostgresStoreContext.Command(connection, PostgresSql.TakeRescueLock, transaction).With("key", PostgresSql.RescueLockKey))
        {
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        List<JobRecord> expired;
        await using (var select = PostgresStoreContext.Command(connection, PostgresSql.SelectExpiredLeases, transaction))
        {
            select.WithTime("now", now).With("max", RescueBatch);
            expired = await PostgresRows.ListAsync(select, PostgresRows.Job, cancellationToken).ConfigureAwait(false);
        }
        if (expired.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return [];
        }

        var plans = expired.Select(job => Plan(job, now, backoff)).ToList();
        List<(JobRecord Job, long EventSeq)> rescued;
        await using (var apply = PostgresStoreContext.Command(connection, PostgresSql.ApplyRescue, transaction))
        {
            apply.With("ids", plans.Select(p => p.Job.Id).ToArray())
                .With("states", plans.Select(p => p.State.ToWire()).ToArray())
                .With("attempts", plans.Select(p => p.Attempt).ToArray())
                .With("run_afters", plans.Select(p => PostgresStoreContext.ToStored(p.RunAfter)).ToArray())
                .WithTime("now", now);
            rescued = await PostgresRows.ListAsync(apply, r => (PostgresRows.Job(r), r.GetInt64(16)), cancellationToken).ConfigureAwait(false);
        }

        var before = expired.ToDictionary(j => j.Id, StringComparer.Ordinal);
        await using (var events = PostgresStoreContext.Command(connection, PostgresSql.InsertRescueEvents, transaction))
        {
            await events.With("ids", rescued.Select(r => r.Job.Id).ToArray())
                .With("seqs", rescued.Select(r => r.EventSeq).ToArray())
                .With("datas", rescued.Select(r => LeaseExpiredData(before[r.Job.Id], r.Job.State)).ToArray())
                .WithTime("now", now)
                .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var perRepo = rescued.GroupBy(r => r.Job.Repo, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        await using (var slots = PostgresStoreContext.Command(connection, PostgresSql.ReleaseRepoSlots, transaction))
        {
            await slots.With("repos", perRepo.Select(g => g.Key).ToArray())
                .With("counts", perRepo.Select(g => g.Count()).ToArray())
                .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var order = expired.Select((j, i) => (j.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return [.. rescued.Select(r => r.Job).OrderBy(j => order[j.Id])];
    }

    public async Task<int> ExpireLeasesOfAsync(string ownerPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerPrefix);
        await using var command = context.Command(PostgresSql.ExpireLeasesOf).With("prefix", ownerPrefix).WithTime("now", context.Now());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SetRepoConcurrencyAsync(string repo, int maxConcurrentJobs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxConcurrentJobs);
        await using var command = context.Command(PostgresSql.SetRepoConcurrency).With("repo", repo).With("max", maxConcurrentJobs);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeTerminalAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = context.Command(PostgresSql.PurgeTerminalJobs).WithTime("cutoff", cutoff);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>What the rescue does to one job: the next attempt after a backoff, or failed after the last one.</summary>
    private static (JobRecord Job, JobState State, int Attempt, DateTimeOffset RunAfter) Plan(JobRecord job, DateTimeOffset now, Func<int, TimeSpan> backoff)
    {
        if (job.Attempt >= job.MaxAttempts)
        {
            return (job, JobState.Failed, job.Attempt, job.RunAfter);
        }
        var next = job.Attempt + 1;
        return (job, job.State == JobState.Fixing ? JobState.Fixing : JobState.Queued, next, now + backoff(next));
    }

    /// <summary>The <c>lease_expired</c> event: whose lease ran out, when, and what became of the job (same shape on SQLite).</summary>
    private static string LeaseExpiredData(JobRecord before, JobState outcome) => JsonSerializer.Serialize(
        new LeaseExpired(before.LeaseOwner, before.Fence, before.Attempt, before.LeaseExpiresAt, outcome.ToWire()), EventJson);

    private sealed record LeaseExpired(string? Owner, long Fence, int Attempt, DateTimeOffset? ExpiredAt, string Outcome);
}
