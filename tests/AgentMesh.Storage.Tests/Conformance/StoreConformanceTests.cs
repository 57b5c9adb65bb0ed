using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using JobLease = AgentMesh.Storage.Abstractions.JobLease;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Storage.Tests.Conformance;

/// <summary>
/// The facts every store backend must satisfy. One abstract suite, one subclass per backend
/// (<see cref="SqliteStoreConformanceTests"/>, and the PostgreSQL one): a change to storage
/// behaviour extends this suite first. The tests are split over partial files by role.
/// </summary>
/// <remarks>
/// Each test gets a fresh, empty, migrated store from <see cref="CreateStoreAsync"/> and a fake
/// clock starting at 2026-01-01 12:00 UTC. Times are compared exactly: backends store
/// millisecond precision and the clock only moves in whole milliseconds here.
/// </remarks>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private IAgentMeshStore? _store;

    protected FakeTimeProvider Clock { get; } = new();

    protected IAgentMeshStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>A fresh, empty store with all migrations applied, whose "now" is <paramref name="clock"/>.</summary>
    protected abstract Task<IAgentMeshStore> CreateStoreAsync(FakeTimeProvider clock);

    /// <summary>
    /// Another store on the database of <see cref="Store"/>, with its own connections, as a second node of
    /// the same database opens it (not migrated: the first store did that). The caller disposes it.
    /// </summary>
    protected abstract IAgentMeshStore OpenSecondStore(FakeTimeProvider clock);

    public async Task InitializeAsync() => _store = await CreateStoreAsync(Clock);

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected static NewJob Job(
        string naturalKey,
        string repo = "octo/app",
        int priority = 0,
        int maxAttempts = 3,
        DateTimeOffset? runAfter = null,
        string? id = null,
        string dataJson = "{}") =>
        new(id, repo, naturalKey, "solve", dataJson, priority, maxAttempts, runAfter);

    protected async Task<JobRecord> EnqueueAsync(NewJob job)
    {
        var result = await Store.Jobs.EnqueueAsync(job);
        result.Created.ShouldBeTrue($"job {job.NaturalKey} should be new");
        return result.Job;
    }

    /// <summary>A change that moves the job to <paramref name="state"/> keeping its data.</summary>
    protected static Func<JobRecord, JobChange> MoveTo(
        JobState state,
        bool releaseLease = false,
        IReadOnlyList<NewEvent>? events = null,
        IReadOnlyList<NewOutboxItem>? outbox = null,
        string? dataJson = null) =>
        job => new JobChange(state, dataJson ?? job.DataJson, events ?? [], outbox ?? [], ReleaseLease: releaseLease);

    protected static ActorDecision<T> Decision<T>(string? newState, T result, IReadOnlyList<NewEvent>? events = null, IReadOnlyList<NewOutboxItem>? outbox = null) =>
        new(newState, events ?? [], outbox ?? [], result);
}
