using AgentMesh.Storage;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// Holds the <see cref="DataDirectoryLock"/> while a node on the embedded store runs. Registered
/// before every other hosted service, so a second node on the same directory stops before it
/// touches the SQLite files.
/// </summary>
public sealed class DataDirectoryGuard(IOptions<StoreOptions> store) : IHostedService, IDisposable
{
    private DataDirectoryLock? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.Value.Provider != "postgres")
        {
            _lock = DataDirectoryLock.Acquire(Path.GetDirectoryName(store.Value.SqliteDatabasePath)!);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();
}
