using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Changes;

/// <summary>
/// The node's view of the store: every write that changes what a job's readers see is followed, once
/// committed, by a notice on the cluster's streams (<see cref="JobChangePublisher"/>). One place, so no writer
/// can forget to tell the workers, the board or a running job's watcher. (A job held back until a time gets its
/// reminder from its own grain, which made the change.)
/// </summary>
public sealed class PublishingStore(IAgentMeshStore inner, JobChangePublisher publisher, LiveLogs.LiveLogPublisher live) : IAgentMeshStore
{
    private readonly PublishingJobStore _jobs = new(inner.Jobs, publisher);
    private readonly PublishingJobLog _logs = new(inner.Logs, publisher, live);

    public string ProviderName => inner.ProviderName;

    public IActorStore Actors => inner.Actors;

    public IJobStore Jobs => _jobs;

    public IJobLog Logs => _logs;

    public IJobHistory History => inner.History;

    public IOutbox Outbox => inner.Outbox;

    public IHeldWorkStore HeldWork => inner.HeldWork;

    // Usage rows are read by the usage page when it opens; no job reader waits on them.
    public IUsageStore Usage => inner.Usage;

    public IDataProtectionKeyStore DataProtectionKeys => inner.DataProtectionKeys;

    /// <summary>The store this one publishes for (tests, and writes that need no notice).</summary>
    public IAgentMeshStore Inner => inner;

    public Task MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
