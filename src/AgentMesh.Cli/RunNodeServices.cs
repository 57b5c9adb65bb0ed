using AgentMesh.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentMesh.Cli;

/// <summary>
/// What <c>agentmesh run</c> starts of the node it builds: the data directory lock, the store's
/// migrations and the Orleans silo its grains (repo state, deliveries) run on, in the node's order.
/// Kestrel, the worker slots and the maintenance loops stay off: the run works its one issue itself.
/// </summary>
internal sealed class RunNodeServices(IServiceProvider services) : IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var service in services.GetServices<IHostedService>().Where(IsNeeded))
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            _started.Add(service);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static bool IsNeeded(IHostedService service) =>
        service is DataDirectoryGuard or StoreInitializer or OrleansSchemaInitializer
        || (service.GetType().Namespace is { } ns && ns.StartsWith("Orleans", StringComparison.Ordinal) && !ns.StartsWith("Orleans.Dashboard", StringComparison.Ordinal));
}
