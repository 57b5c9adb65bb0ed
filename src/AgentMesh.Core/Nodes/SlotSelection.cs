namespace AgentMesh.Core.Nodes;

/// <summary>Pure choices over nodes and their slots.</summary>
public static class SlotSelection
{
    /// <summary>
    /// The slot a node should fill next: its lowest-numbered idle slot, or null when the node may not claim
    /// (not a worker, stopping, lost) or every slot is busy. Lowest-first keeps slot numbers (and thus worktree
    /// paths and log labels) stable on a lightly loaded node.
    /// </summary>
    public static WorkerSlot? FreeSlot(ClusterNode node, IEnumerable<WorkerSlot> slots, DateTimeOffset now, TimeSpan lostAfter)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(slots);
        if (!node.CanClaim(now, lostAfter))
        {
            return null;
        }

        return slots
            .Where(s => s.NodeId == node.Id && s.Index < node.SlotCount && s.IsIdle)
            .OrderBy(s => s.Index)
            .FirstOrDefault();
    }

    /// <summary>The slots of a node, all idle, as it starts.</summary>
    public static IReadOnlyList<WorkerSlot> IdleSlots(ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return [.. Enumerable.Range(0, node.SlotCount).Select(i => new WorkerSlot(node.Id, i))];
    }

    /// <summary>The nodes whose heartbeat is too old, ordered by id: the rescuer frees their leases.</summary>
    public static IReadOnlyList<ClusterNode> LostNodes(IEnumerable<ClusterNode> nodes, DateTimeOffset now, TimeSpan lostAfter)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return [.. nodes.Where(n => n.IsLost(now, lostAfter)).OrderBy(n => n.Id, StringComparer.Ordinal)];
    }
}
