using System.Globalization;
using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;

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

    private static async Task<Ok<List<NodeView>>> ListAsync(
        IClusterMembershipService membership,
        ISiloMetadataCache metadata,
        IGrainFactory grains,
        IAgentMeshStore store,
        CancellationToken cancellationToken)
    {
        // Start and last "I am alive" times are in Orleans' membership table; running agents are the leases
        // the job index shows held by each node's slots (owner "node/slot").
        var entries = (await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.SiloAddress);
        var running = await RunningAgentsByNodeAsync(store, cancellationToken).ConfigureAwait(false);
        var views = new List<NodeView>();
        foreach (var member in membership.CurrentSnapshot.Members.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var tags = metadata.GetSiloMetadata(member.SiloAddress).Metadata;
            var nodeId = tags.TryGetValue("node", out var id) ? id : member.Name;
            entries.TryGetValue(member.SiloAddress, out var entry);
            var alive = member.Status != SiloStatus.Dead;
            views.Add(new NodeView(
                nodeId,
                member.SiloAddress.ToParsableString(),
                member.Status.ToString().ToLowerInvariant(),
                tags.TryGetValue("roles", out var roles) ? roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
                tags.TryGetValue("slots", out var slots) ? int.Parse(slots, CultureInfo.InvariantCulture) : 0,
                alive ? running.GetValueOrDefault(nodeId) : 0,
                member.Status is SiloStatus.ShuttingDown or SiloStatus.Stopping,
                tags.TryGetValue("version", out var version) ? version : "",
                entry is null ? null : new DateTimeOffset(DateTime.SpecifyKind(entry.StartTime, DateTimeKind.Utc)),
                entry is null ? null : new DateTimeOffset(DateTime.SpecifyKind(entry.IAmAliveTime, DateTimeKind.Utc)),
                alive));
        }
        return TypedResults.Ok(views);
    }

    private static async Task<Dictionary<string, int>> RunningAgentsByNodeAsync(IAgentMeshStore store, CancellationToken cancellationToken)
    {
        var held = await store.Jobs.ListAsync(new JobQuery(States: [JobState.Running, JobState.Fixing], Limit: 10_000), cancellationToken).ConfigureAwait(false);
        return held
            .Where(j => j.LeaseOwner is not null && j.LeaseExpiresAt > DateTimeOffset.UtcNow)
            .GroupBy(j => j.LeaseOwner!.Split('/')[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
