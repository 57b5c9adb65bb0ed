using AgentMesh.Core.Nodes;
using Shouldly;

namespace AgentMesh.Core.Tests.Nodes;

public sealed class NodeTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(60);
    private static readonly ClusterNode Worker = new("node-a", NodeRoles.Web | NodeRoles.Worker, 3, T, T, Stopping: false);

    [Fact]
    public void A_node_is_lost_only_when_its_heartbeat_is_older_than_the_timeout()
    {
        Worker.IsLost(T.AddSeconds(60), LostAfter).ShouldBeFalse();
        Worker.IsLost(T.AddSeconds(60).AddTicks(1), LostAfter).ShouldBeTrue();
        Worker.Beat(T.AddSeconds(50)).IsLost(T.AddSeconds(100), LostAfter).ShouldBeFalse();
    }

    [Fact]
    public void A_heartbeat_never_moves_backwards()
    {
        var beaten = Worker.Beat(T.AddSeconds(30));

        beaten.Beat(T.AddSeconds(10)).HeartbeatAt.ShouldBe(T.AddSeconds(30));
    }

    [Fact]
    public void The_lowest_idle_slot_is_chosen()
    {
        var slots = SlotSelection.IdleSlots(Worker).ToArray();
        slots[0] = slots[0].Assign(jobId: 5, fence: 1);

        SlotSelection.FreeSlot(Worker, slots, T, LostAfter).ShouldBe(new WorkerSlot("node-a", 1));
        slots.Select(s => s.WorkerId).ShouldBe(["node-a/0", "node-a/1", "node-a/2"]);
    }

    [Fact]
    public void No_slot_when_all_are_busy_or_the_node_may_not_claim()
    {
        var busy = SlotSelection.IdleSlots(Worker).Select((s, i) => s.Assign(i + 1, i + 1)).ToArray();
        SlotSelection.FreeSlot(Worker, busy, T, LostAfter).ShouldBeNull();

        var idle = SlotSelection.IdleSlots(Worker);
        SlotSelection.FreeSlot(Worker with { Stopping = true }, idle, T, LostAfter).ShouldBeNull();
        SlotSelection.FreeSlot(Worker with { Roles = NodeRoles.Web }, idle, T, LostAfter).ShouldBeNull();
        SlotSelection.FreeSlot(Worker, idle, T.AddMinutes(2), LostAfter).ShouldBeNull();
    }

    [Fact]
    public void Slots_of_other_nodes_or_beyond_the_slot_count_are_ignored()
    {
        WorkerSlot[] slots = [new("node-b", 0), new("node-a", 7)];

        SlotSelection.FreeSlot(Worker, slots, T, LostAfter).ShouldBeNull();
    }

    [Fact]
    public void A_busy_slot_refuses_a_second_job_and_releases_only_its_own()
    {
        var slot = new WorkerSlot("node-a", 2).Assign(7, 3);

        (slot.JobId, slot.Fence, slot.IsIdle).ShouldBe((7L, 3L, false));
        Should.Throw<InvalidOperationException>(() => slot.Assign(8, 4)).Message.ShouldBe("Worker slot node-a/2 is busy with job 7; it cannot take job 8.");
        Should.Throw<InvalidOperationException>(() => slot.Release(8)).Message.ShouldBe("Worker slot node-a/2 runs job 7, not job 8.");
        slot.Release(7).ShouldBe(new WorkerSlot("node-a", 2));
        new WorkerSlot("node-a", 2).Release(7).IsIdle.ShouldBeTrue();
    }

    [Fact]
    public void Lost_nodes_are_listed_by_id()
    {
        ClusterNode[] nodes = [Worker with { Id = "node-c" }, Worker with { Id = "node-b", HeartbeatAt = T.AddSeconds(90) }, Worker];

        SlotSelection.LostNodes(nodes, T.AddSeconds(61), LostAfter).Select(n => n.Id).ShouldBe(["node-a", "node-c"]);
    }

    [Fact]
    public void Node_options_need_two_heartbeats_before_a_node_is_lost()
    {
        var options = new NodeLivenessOptions();
        (options.HeartbeatInterval, options.LostAfter).ShouldBe((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)));
        options.Validate().ShouldBeEmpty();

        new NodeLivenessOptions { HeartbeatInterval = TimeSpan.FromSeconds(40) }.Validate()
            .ShouldBe(["LostAfter (00:01:00) must be at least twice HeartbeatInterval (00:00:40)."]);
        new NodeLivenessOptions { HeartbeatInterval = TimeSpan.Zero }.Validate().ShouldBe(["HeartbeatInterval must be positive (was 00:00:00)."]);
    }
}
