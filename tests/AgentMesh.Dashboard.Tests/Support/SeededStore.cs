using AgentMesh.Dashboard.Jobs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Dashboard.Tests.Support;

/// <summary>
/// The seeder's store: the real one, whose job and log writes tell <see cref="SeededJobFeed"/> once
/// committed, as the node's publishing store tells the cluster's streams. So a test that writes through
/// <c>Seeder.Store</c> sees its page follow, just as with the seeder's own helpers.
/// </summary>
internal sealed class SeededStore(IAgentMeshStore inner, SeededJobFeed feed) : IAgentMeshStore
{
    public string ProviderName => inner.ProviderName;

    public IActorStore Actors => inner.Actors;

    public IJobStore Jobs { get; } = new SeededJobStore(inner.Jobs, feed);

    public IJobLog Logs { get; } = new SeededJobLog(inner.Logs, feed);

    public IJobHistory History => inner.History;

    public IOutbox Outbox => inner.Outbox;

    public IHeldWorkStore HeldWork => inner.HeldWork;

    public IUsageStore Usage => inner.Usage;

    public IDataProtectionKeyStore DataProtectionKeys => inner.DataProtectionKeys;

    public Task MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class SeededJobStore(IJobStore inner, SeededJobFeed feed) : IJobStore
    {
        public async Task<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
        {
            var result = await inner.EnqueueAsync(job, cancellationToken);
            if (result.Created)
            {
                Changed(result.Job);
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
            var attempt = await inner.TryClaimAsync(jobId, owner, repo, repoLimit, cancellationToken);
            if (attempt.Claimed is { } claimed)
            {
                Changed(claimed.Job);
            }
            return attempt;
        }

        public async Task<JobRecord> TurnAsync(string jobId, JobLease? lease, Func<JobRecord, JobChange> decide, CancellationToken cancellationToken = default)
        {
            var appendedEvents = false;
            var record = await inner.TurnAsync(jobId, lease, current =>
            {
                var change = decide(current);
                appendedEvents = change.Events.Count > 0;
                return change;
            }, cancellationToken);
            Changed(record);
            if (appendedEvents)
            {
                feed.Publish(new JobFeedNotice(JobFeedKind.History, record.Id, record.Version));
            }
            return record;
        }

        public async Task<int> PurgeTerminalAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
        {
            var purged = await inner.PurgeTerminalAsync(cutoff, cancellationToken);
            if (purged > 0)
            {
                feed.Publish(new JobFeedNotice(JobFeedKind.Resync, string.Empty, 0));
            }
            return purged;
        }

        private void Changed(JobRecord record) => feed.Publish(new JobFeedNotice(JobFeedKind.Job, record.Id, record.Version));
    }

    private sealed class SeededJobLog(IJobLog inner, SeededJobFeed feed) : IJobLog
    {
        public async Task<long> AppendAsync(string jobId, IReadOnlyList<NewLogLine> lines, JobLease? lease = null, CancellationToken cancellationToken = default)
        {
            var last = await inner.AppendAsync(jobId, lines, lease, cancellationToken);
            if (lines.Count > 0)
            {
                feed.Publish(new JobFeedNotice(JobFeedKind.Log, jobId, last));
            }
            return last;
        }

        public Task<IReadOnlyList<LogLine>> ReadAsync(string jobId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(jobId, afterSequence, limit, cancellationToken);

        public Task<IReadOnlyList<LogLine>> TailAsync(string jobId, int count, CancellationToken cancellationToken = default) =>
            inner.TailAsync(jobId, count, cancellationToken);

        public Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
            inner.PurgeOlderThanAsync(cutoff, cancellationToken);
    }
}
