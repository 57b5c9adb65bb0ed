using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Internal;
using JobLease = AgentMesh.Storage.Abstractions.JobLease;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;

namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// Job actors on SQLite. Claims and turns are writes, so the single writer serialises
/// them: two claims of one job cannot interleave. Each row change is still
/// a compare-and-set on the version (and the fence, for lease holders), so the code states the
/// same guarantees the PostgreSQL backend needs row locks for.
/// </summary>
internal sealed class SqliteJobStore(SqliteDatabase database, TimeProvider timeProvider) : IJobStore
{
    public Task<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var id = job.Id ?? JobIds.New(timeProvider);
        return database.WriteAsync(context =>
        {
            var created = context.Command(SqliteSql.InsertJob)
                .With("@id", id)
                .With("@repo", job.Repo)
                .With("@naturalKey", job.NaturalKey)
                .With("@kind", job.Kind)
                .With("@priority", job.Priority)
                .With("@runAfter", UnixMilliseconds.From(job.RunAfter) ?? context.Now)
                .With("@maxAttempts", job.MaxAttempts)
                .With("@data", job.DataJson)
                .With("@now", context.Now)
                .ReadFirstOrDefault(SqliteRows.Job);
            if (created is not null)
            {
                SqliteJobHistory.Append(context, id, job.Events ?? []);
                return new EnqueueResult(created, Created: true);
            }
            var existing = context.Command(SqliteSql.SelectJobByNaturalKey)
                .With("@naturalKey", job.NaturalKey)
                .ReadFirstOrDefault(SqliteRows.Job)
                ?? throw new InvalidOperationException(
                    $"Job {id} was not inserted, yet no job has natural key '{job.NaturalKey}' (is the id already taken?).");
            return new EnqueueResult(existing, Created: false);
        }, cancellationToken);
    }

    public Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.Command(SqliteSql.SelectJob)
            .With("@id", jobId)
            .ReadFirstOrDefault(SqliteRows.Job), cancellationToken);

    public Task<JobRecord?> FindByNaturalKeyAsync(string naturalKey, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => connection.Command(SqliteSql.SelectJobByNaturalKey)
            .With("@naturalKey", naturalKey)
            .ReadFirstOrDefault(SqliteRows.Job), cancellationToken);

    public async Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var states = query.States ?? [];
        return await database.ReadAsync(connection =>
        {
            var command = connection.Command(SqliteSql.ListJobs(query.Repo is not null, states.Count))
                .With("@limit", query.Limit)
                .With("@offset", query.Offset);
            if (query.Repo is not null)
            {
                command.With("@repo", query.Repo);
            }
            for (var i = 0; i < states.Count; i++)
            {
                command.With($"@state{i}", states[i].ToWire());
            }
            return command.ReadAll(SqliteRows.Job);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<JobRecord>> ListClaimableAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var now = database.Now;
        return database.ReadAsync<IReadOnlyList<JobRecord>>(connection => connection.Command(SqliteSql.ListClaimableJobs)
            .With("@now", now)
            .With("@limit", limit)
            .ReadAll(SqliteRows.Job), cancellationToken);
    }

    public Task<ClaimAttempt> TryClaimAsync(string jobId, string owner, string repo, int repoLimit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentException.ThrowIfNullOrEmpty(repo);
        ArgumentOutOfRangeException.ThrowIfNegative(repoLimit);
        return database.WriteAsync(context =>
        {
            var job = context.Command(SqliteSql.TryClaimJob)
                .With("@id", jobId)
                .With("@owner", owner)
                .With("@repo", repo)
                .With("@repoLimit", repoLimit)
                .With("@now", context.Now)
                .ReadFirstOrDefault(SqliteRows.Job);
            if (job is not null)
            {
                return ClaimAttempt.Of(new ClaimedJob(job, new JobLease(job.Id, owner, job.Fence)));
            }
            return context.Command(SqliteSql.RepoFull)
                .With("@repo", repo)
                .With("@repoLimit", repoLimit)
                .ScalarInt64() != 0 ? ClaimAttempt.Full : ClaimAttempt.NotClaimable;
        }, cancellationToken);
    }

    public Task<JobRecord> TurnAsync(string jobId, JobLease? lease, Func<JobRecord, JobChange> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return database.WriteAsync(context =>
        {
            var current = context.Command(SqliteSql.SelectJob)
                .With("@id", jobId)
                .ReadFirstOrDefault(SqliteRows.Job)
                ?? throw new KeyNotFoundException($"Job {jobId} does not exist.");
            if (lease is not null && !Holds(current.LeaseOwner, current.Fence, lease))
            {
                throw new StaleLeaseException(jobId, lease.Fence);
            }

            var change = decide(current);
            ArgumentNullException.ThrowIfNull(change);
            var updated = context.Command(SqliteSql.ApplyJobChange)
                .With("@id", jobId)
                .With("@state", change.State.ToWire())
                .With("@data", change.DataJson)
                .With("@runAfter", UnixMilliseconds.From(change.RunAfter))
                .With("@attempt", change.Attempt)
                .With("@release", change.ReleaseLease)
                .With("@now", context.Now)
                .With("@expectedState", current.State.ToWire())
                .With("@expectedVersion", current.Version)
                .ReadFirstOrDefault(SqliteRows.Job)
                ?? throw new InvalidOperationException(
                    $"Job {jobId} changed during its turn; the single writer should make this impossible.");

            SqliteJobHistory.Append(context, jobId, change.Events);
            SqliteOutbox.Insert(context, jobId, change.Outbox);
            return updated;
        }, cancellationToken);
    }

    public Task<int> PurgeTerminalAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        // Logs, events, mail and held work go with the job row (ON DELETE CASCADE).
        database.WriteAsync(context => context.Command(SqliteSql.PurgeTerminalJobs)
            .With("@cutoff", UnixMilliseconds.From(cutoff))
            .Execute(), cancellationToken);

    /// <summary>Whether the row's lease is still <paramref name="lease"/>: same owner, same fence.</summary>
    internal static bool Holds(string? leaseOwner, long fence, JobLease lease) =>
        string.Equals(leaseOwner, lease.Owner, StringComparison.Ordinal) && fence == lease.Fence;
}
