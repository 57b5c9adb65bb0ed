using AgentMesh.Server.Hosting;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Api.Nodes;

/// <summary><c>/api/nodes</c>: who is in the cluster and who is alive.</summary>
public static class NodesEndpoints
{
    /// <summary>Heartbeat intervals a node may miss before it counts as gone.</summary>
    public const int MissedHeartbeatsAllowed = 3;

    public static RouteGroupBuilder MapNodes(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/nodes", ListAsync).WithTags("Nodes").WithName("ListNodes")
            .WithSummary("Every node that wrote a heartbeat, with whether it is alive.");
        return api;
    }

    private static async Task<Ok<List<NodeView>>> ListAsync(
        IAgentMeshStore store,
        IOptions<NodeOptions> options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var nodes = await store.Nodes.ListAsync(cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        var window = options.Value.HeartbeatInterval * MissedHeartbeatsAllowed;
        return TypedResults.Ok(nodes
            .Select(n => new NodeView(n.NodeId, n.Roles, n.Slots, n.RunningJobs, n.Stopping, n.Version, n.StartedAt, n.HeartbeatAt, now - n.HeartbeatAt <= window))
            .ToList());
    }
}
