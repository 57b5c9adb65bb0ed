using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentMesh.Server.Api.Nodes;

/// <summary>
/// <c>/api/nodes</c>: the cluster's silos from Orleans membership (status, start and last alive times), their roles,
/// slots and version from silo metadata, and the agents each runs from the job index. No heartbeat of our own.
/// </summary>
public static class NodesEndpoints
{
    public static RouteGroupBuilder MapNodes(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/nodes", ListAsync).WithTags("Nodes").WithName("ListNodes")
            .WithSummary("Every silo Orleans membership knows, with its status, roles and slots.");
        return api;
    }

    private static async Task<Ok<List<NodeView>>> ListAsync(ClusterMembers members, CancellationToken cancellationToken) =>
        TypedResults.Ok(await members.ListAsync(cancellationToken).ConfigureAwait(false));
}
