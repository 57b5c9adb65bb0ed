using Orleans.Storage;

namespace AgentMesh.Grains;

/// <summary>
/// A grain's persisted state, read from its grain storage at its first use instead of when the grain activates.
/// What it adds to Orleans' <see cref="IPersistentState{TState}"/>, which reads at every activation: a grain whose
/// usual calls never touch this state (a job grain creating its job, deciding a turn, claiming its run) activates
/// without a storage round trip, which on the path from a webhook to its agent is one PostgreSQL query less. The
/// storage, the state name and so the stored rows are those <see cref="PersistentStateAttribute"/> would use.
/// </summary>
internal sealed class LazyPersistentState<TState>(string stateName, GrainId grainId, IGrainStorage storage)
    where TState : new()
{
    private readonly GrainState<TState> _stored = new(new TState());
    private bool _read;

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
}
