using System.Globalization;
using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AgentMesh.Server.Api.Nodes;

/// <summary>
/// The cluster's silos, what <c>/api/nodes</c> and the dashboard's cluster page show: status, start and last
/// alive times from Orleans membership; roles, slots and version from silo metadata; the agents each runs from
/// the job index (the unexpired leases its slots hold, owner <c>node/slot</c>). No heartbeat of our own.
/// </summary>
public sealed class ClusterMembers(IClusterMembershipService membership, ISiloMetadataCache metadata, IGrainFactory grains, IAgentMeshStore store, TimeProvider timeProvider)
{
    public async Task<List<NodeView>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = (await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.SiloAddress);
        var running = await RunningAgentsByNodeAsync(cancellationToken).ConfigureAwait(false);
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
                entry is null ? null : Utc(entry.StartTime),
                entry is null ? null : Utc(entry.IAmAliveTime),
                alive));
        }
        return views;
    }

    private async Task<Dictionary<string, int>> RunningAgentsByNodeAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var held = await store.Jobs.ListAsync(new JobQuery(States: [JobState.Running, JobState.Fixing], Limit: 10_000), cancellationToken).ConfigureAwait(false);
        return held
            .Where(j => j.LeaseOwner is not null && j.LeaseExpiresAt > now)
            .GroupBy(j => j.LeaseOwner!.Split('/')[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    // Orleans keeps membership times as UTC DateTimes.
    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
