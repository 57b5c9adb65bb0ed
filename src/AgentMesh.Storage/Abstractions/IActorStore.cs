namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// Generic actor state (repo, tenant, node-level actors): a row keyed by (type, key) holding the
/// actor's state as JSON and a version. A turn is one transaction that locks the row, runs a pure
/// decision on the current state, appends the actor's events, saves the new state and any outbox
/// items, and commits. Turns on the same key are serialised; turns on different keys are not.
/// Jobs have their own table and turns (<see cref="IJobStore"/>) because workers claim them.
/// </summary>
public interface IActorStore
{
    Task<ActorSnapshot?> GetAsync(string actorType, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one turn. <paramref name="decide"/> gets the current snapshot (null when the actor has
    /// no state yet) and must be pure: it may run again if the backend retries a serialisation
    /// conflict. An exception from it rolls the turn back and propagates.
    /// </summary>
    Task<ActorTurnResult<TResult>> TurnAsync<TResult>(
        string actorType,
        string key,
        Func<ActorSnapshot?, ActorDecision<TResult>> decide,
        CancellationToken cancellationToken = default);

    /// <summary>Lists actors of one type (e.g. all repo configurations), ordered by key.</summary>
    Task<IReadOnlyList<ActorSnapshot>> ListAsync(string actorType, CancellationToken cancellationToken = default);

    /// <summary>Deletes an actor's state and its events. Returns false when it had no state.</summary>
    Task<bool> DeleteAsync(string actorType, string key, CancellationToken cancellationToken = default);

    /// <summary>The actor's events after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<ActorEventRecord>> ReadEventsAsync(string actorType, string key, long afterSequence, int limit, CancellationToken cancellationToken = default);
}

/// <param name="Version">Starts at 1 on the first save and grows by one per saved turn.</param>
public sealed record ActorSnapshot(string ActorType, string Key, long Version, string StateJson, DateTimeOffset UpdatedAt);

/// <summary>What a turn decided.</summary>
/// <param name="NewStateJson">The state to save, or null to leave the state unchanged.</param>
/// <param name="Events">Events appended to the actor's history in the same transaction.</param>
/// <param name="Outbox">Side effects to perform after commit (see <see cref="IOutbox"/>), stored with no job.</param>
/// <param name="Result">Returned to the caller.</param>
public sealed record ActorDecision<TResult>(
    string? NewStateJson,
    IReadOnlyList<NewEvent> Events,
    IReadOnlyList<NewOutboxItem> Outbox,
    TResult Result);

public sealed record ActorTurnResult<TResult>(ActorSnapshot? Snapshot, TResult Result);

/// <summary>An event to append; the store assigns its sequence number and time.</summary>
public sealed record NewEvent(string Type, string DataJson);

public sealed record ActorEventRecord(string ActorType, string Key, long Sequence, string Type, string DataJson, DateTimeOffset At);
