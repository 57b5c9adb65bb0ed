using Orleans.Storage;

namespace AgentMesh.Grains;

/// <summary>
/// A grain's persisted state, read from its grain storage at its first use instead of when the grain activates.
/// What it adds to Orleans' <see cref="IPersistentState{TState}"/>, which reads at every activation: a grain whose
/// usual calls never touch this state (a job grain creating its job, deciding a turn, claiming its run) activates
/// without a storage round trip, which on the path from a webhook to its agent is one PostgreSQL query less; and a
/// grain whose state is nearly always new (a delivery grain) can store it without reading first
/// (<see cref="TryCreateAsync"/>). The storage, the state name and so the stored rows are those
/// <see cref="PersistentStateAttribute"/> would use.
/// </summary>
internal sealed class LazyPersistentState<TState>(string stateName, GrainId grainId, IGrainStorage storage)
    where TState : new()
{
    private GrainState<TState> _stored = new(new TState());
    private bool _read;

    /// <summary>The state as this activation last read or wrote it, or null when it has not yet.</summary>
    public TState? Known => _read ? _stored.State : default;

    /// <summary>The state, read from storage the first time.</summary>
    public async ValueTask<TState> GetAsync()
    {
        if (!_read)
        {
            await storage.ReadStateAsync(stateName, grainId, _stored).ConfigureAwait(true);
            _stored.State ??= new TState();
            _read = true;
        }
        // Never null: set above after the read, and at construction.
        return _stored.State!;
    }

    /// <summary>Writes the state (read first if it never was, so the write carries the stored row's version).</summary>
    public async Task WriteAsync()
    {
        await GetAsync().ConfigureAwait(true);
        await storage.WriteStateAsync(stateName, grainId, _stored).ConfigureAwait(true);
    }

    /// <summary>
    /// Stores <paramref name="state"/> as the grain's first state without reading: the write carries no version, so the
    /// storage takes it only when the grain has no stored row (ADO.NET's insert, refused with
    /// <see cref="InconsistentStateException"/> otherwise). False when a state was stored before; the next
    /// <see cref="GetAsync"/> reads that one.
    /// </summary>
    public async Task<bool> TryCreateAsync(TState state)
    {
        if (_read && _stored.RecordExists)
        {
            return false;
        }
        var created = new GrainState<TState>(state);
        try
        {
            await storage.WriteStateAsync(stateName, grainId, created).ConfigureAwait(true);
        }
        catch (InconsistentStateException)
        {
            _read = false;
            return false;
        }
        _stored = created;
        _read = true;
        return true;
    }
}
