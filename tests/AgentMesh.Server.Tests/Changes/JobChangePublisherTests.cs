using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Server.Changes;
using AgentMesh.Server.Tests.Api;
using AgentMesh.Server.Worker;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Changes;

/// <summary>
/// A job written on a node wakes one of that node's idle slots directly: on one node every job is written there, and
/// the stream's notice would come only at its pulling agent's next read.
/// </summary>
[Collection(AdminApiCollection.Name)]
public sealed class JobChangePublisherTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task A_job_change_wakes_one_idle_slot_of_the_node_that_wrote_it_before_any_stream_notice()
    {
        // Synchronously, within the call: no stream delivery can have come first.
        var woken = await WakeUpsDuringAsync(publisher => publisher.JobChangedAsync($"woken-{Guid.NewGuid():N}", 1));

        woken.ShouldBeGreaterThanOrEqualTo(1, "the job change woke an idle slot of this node");
    }

    [Fact]
    public async Task A_change_that_leaves_the_job_holding_a_run_wakes_no_slot_and_its_notice_says_so()
    {
        var woken = await WakeUpsDuringAsync(publisher => publisher.JobChangedAsync($"claimed-{Guid.NewGuid():N}", 2, holdsRun: true));

        woken.ShouldBe(0, "a claim, a start or a running job's usage makes nothing claimable");
        new JobChangeNotice(JobChangeKind.Job, "j", 2, HoldsRun: true).MayFreeWork.ShouldBeFalse();
        new JobChangeNotice(JobChangeKind.Job, "j", 3).MayFreeWork.ShouldBeTrue("a run ended or a job was queued");
        new JobChangeNotice(JobChangeKind.Resync, "", 0).MayFreeWork.ShouldBeTrue();
        new JobChangeNotice(JobChangeKind.Log, "j", 9).MayFreeWork.ShouldBeFalse();
    }

    /// <summary>How many times the node's idle slots were woken one at a time while <paramref name="change"/> ran.</summary>
    private async Task<int> WakeUpsDuringAsync(Func<JobChangePublisher, Task> change)
    {
        var signal = _node.App.Services.GetRequiredService<IdleSlotsSignal>();
        var woken = 0;
        void One() => Interlocked.Increment(ref woken);
        signal.RaisedForOne += One;
        try
        {
            await change(_node.App.Services.GetRequiredService<JobChangePublisher>());
        }
        finally
        {
            signal.RaisedForOne -= One;
        }
        return woken;
    }
}
