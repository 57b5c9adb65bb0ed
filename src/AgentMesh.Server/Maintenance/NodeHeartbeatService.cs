using AgentMesh.Server.Hosting;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Maintenance;

/// <summary>Writes this node's heartbeat to the shared nodes table, so the fleet knows it is alive.</summary>
public sealed partial class NodeHeartbeatService(
    IAgentMeshStore store,
    IOptions<NodeOptions> options,
    RunningJobs running,
    TimeProvider timeProvider,
    ILogger<NodeHeartbeatService> logger) : BackgroundService
{
    private static readonly string Version = typeof(NodeHeartbeatService).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>Set when the host begins to stop, so the last heartbeat says the node is stopping.</summary>
    public bool Stopping { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, timeProvider);
        do
        {
            await BeatAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Stopping = true;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await BeatAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var node = options.Value;
        try
        {
            await store.Nodes.HeartbeatAsync(
                new NodeHeartbeat(node.NodeId, node.RoleList, node.IsWorker ? node.WorkerSlots : 0, RunningJobs: running.Count, Stopping, Version),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A missed heartbeat is not fatal; the next tick tries again.
            LogHeartbeatFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the node heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
