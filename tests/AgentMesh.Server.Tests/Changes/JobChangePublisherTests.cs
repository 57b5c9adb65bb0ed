using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Server.Changes;
using AgentMesh.Server.Tests.Api;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
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
        var woken = await WakeUpsDuringAsync(publisher => publisher.JobChangedAsync($"claimed-{Guid.NewGuid():N}", 2, freesNoWork: true));

        woken.ShouldBe(0, "a claim, a start or a running job's usage makes nothing claimable");
        new JobChangeNotice(JobChangeKind.Job, "j", 2, FreesNoWork: true).MayFreeWork.ShouldBeFalse();
        new JobChangeNotice(JobChangeKind.Job, "j", 3).MayFreeWork.ShouldBeTrue("a run ended or a job was queued");
        new JobChangeNotice(JobChangeKind.Resync, "", 0).MayFreeWork.ShouldBeTrue();
        new JobChangeNotice(JobChangeKind.Log, "j", 9).MayFreeWork.ShouldBeFalse();
    }

    [Fact]
    public async Task A_turn_that_changes_nothing_a_claim_reads_wakes_no_slot_and_one_that_moves_the_due_time_does()
    {
        var store = _node.App.Services.GetRequiredService<IAgentMeshStore>();
        // Due far ahead: no worker of this node may claim it meanwhile.
        var key = $"acme/wake#{Guid.NewGuid():N}";
        var job = (await store.Jobs.EnqueueAsync(new NewJob(null, "acme/wake", key, "solve_issue", "{}", RunAfter: DateTimeOffset.UtcNow.AddDays(1)))).Job;

        var afterEvents = await WakeUpsDuringAsync(_ => store.Jobs.TurnAsync(
            job.Id, lease: null, current => new JobChange(current.State, current.DataJson, [new NewEvent("noted", "{}")], [])));
        var afterMove = await WakeUpsDuringAsync(_ => store.Jobs.TurnAsync(
            job.Id, lease: null, current => new JobChange(current.State, current.DataJson, [], [], RunAfter: current.RunAfter.AddHours(1))));

        afterEvents.ShouldBe(0, "a turn that only appended events (as a job's creation event does) makes nothing claimable");
        afterMove.ShouldBeGreaterThanOrEqualTo(1, "a turn that moved the job's due time may have made it claimable");
    }

    [Fact]
    public async Task A_notice_names_the_silo_whose_slots_it_woke_and_only_other_silos_slots_wake_for_it()
    {
        var publisher = _node.App.Services.GetRequiredService<JobChangePublisher>();
        var thisSilo = _node.App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        var feed = _node.App.Services.GetRequiredService<JobChangeFeed>();
        var jobId = $"stamped-{Guid.NewGuid():N}";
        var heard = new TaskCompletionSource<JobChangeNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var listening = await feed.ListenAsync(notice => { if (notice.JobId == jobId) { heard.TrySetResult(notice); } }, stop.Token);
        try
        {
            await publisher.JobChangedAsync(jobId, 1);
            var notice = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));

            notice.SlotsWokenOn.ShouldBe(thisSilo, "the change woke this silo's slots when it was written");
            notice.WakesSlotsOf(thisSilo).ShouldBeFalse("this silo's slots were woken already");
            notice.WakesSlotsOf("10.0.0.2:11111@1").ShouldBeTrue("another silo's slots hear of the job only through the notice");
            new JobChangeNotice(JobChangeKind.Resync, "", 0).WakesSlotsOf(thisSilo).ShouldBeTrue("a resync is raised on no silo directly");
        }
        finally
        {
            await stop.CancelAsync();
            await listening.ContinueWith(_ => { }, TaskScheduler.Default);
        }
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
