using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Changes;

/// <summary><see cref="IJobStore"/> that announces each committed change of a job (see <see cref="PublishingStore"/>).</summary>
internal sealed class PublishingJobStore(IJobStore inner, JobChangePublisher publisher) : IJobStore
{
    public async Task<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        var result = await inner.EnqueueAsync(job, cancellationToken).ConfigureAwait(false);
        // Also when it existed: a delivery re-processed after its silo died may be the first to announce it.
        await ChangedAsync(result.Job).ConfigureAwait(false);
        if (result.Created && job.Events is { Count: > 0 })
        {
            await publisher.EventsAppendedAsync(result.Job.Id, result.Job.Version).ConfigureAwait(false);
        }
        return result;
    }

    public Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default) => inner.GetAsync(jobId, cancellationToken);

    public Task<JobRecord?> FindByNaturalKeyAsync(string naturalKey, CancellationToken cancellationToken = default) =>
        inner.FindByNaturalKeyAsync(naturalKey, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken = default) =>
        inner.ListAsync(query, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListClaimableAsync(int limit, CancellationToken cancellationToken = default) =>
        inner.ListClaimableAsync(limit, cancellationToken);

    public async Task<ClaimAttempt> TryClaimAsync(string jobId, string owner, string repo, int repoLimit, CancellationToken cancellationToken = default)
    {
        var attempt = await inner.TryClaimAsync(jobId, owner, repo, repoLimit, cancellationToken).ConfigureAwait(false);
        if (attempt.Claimed is { } claimed)
        {
            await ChangedAsync(claimed.Job).ConfigureAwait(false);
        }
        return attempt;
    }

    public async Task<JobRecord> TurnAsync(string jobId, JobLease? lease, Func<JobRecord, JobChange> decide, CancellationToken cancellationToken = default)
    {
        var appendedEvents = false;
        JobRecord? before = null;
        var record = await inner.TurnAsync(
            jobId,
            lease,
            current =>
            {
                before = current;
                var change = decide(current);
                appendedEvents = change.Events.Count > 0;
                return change;
            },
            cancellationToken).ConfigureAwait(false);
        await ChangedAsync(record, before).ConfigureAwait(false);
        if (appendedEvents)
        {
            await publisher.EventsAppendedAsync(record.Id, record.Version).ConfigureAwait(false);
        }
        return record;
    }

    public Task<int> PurgeTerminalAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        inner.PurgeTerminalAsync(cutoff, cancellationToken);

    // A job that now waits for a time gets its reminder from its grain, which made the change (JobGrain).
    private Task ChangedAsync(JobRecord record, JobRecord? before = null) =>
        publisher.JobChangedAsync(record.Id, record.Version, freesNoWork: record.LeaseOwner is not null || (before is not null && SameForClaims(before, record)));

    /// <summary>Whether a claim would see no difference: a turn that only appended events or changed the job's data.</summary>
    private static bool SameForClaims(JobRecord before, JobRecord after) =>
        before.State == after.State
        && before.LeaseOwner == after.LeaseOwner
        && before.Fence == after.Fence
        && before.RunAfter == after.RunAfter
        && before.Priority == after.Priority
        && before.Attempt == after.Attempt
        && before.MaxAttempts == after.MaxAttempts;
}
