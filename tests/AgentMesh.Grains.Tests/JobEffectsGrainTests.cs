using System.Collections.Concurrent;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Jobs;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Shouldly;
using Xunit;

namespace AgentMesh.Grains.Tests;

/// <summary>
/// A job's effects grain on PostgreSQL: effects expected before a write are performed even when the wake-up
/// after the write never comes (its silo died), and a failed effect is tried again when its retry is due.
/// </summary>
public sealed class JobEffectsGrainTests
{
    [Fact]
    public async Task Effects_expected_before_a_write_are_performed_by_another_silo_when_the_one_that_expected_them_dies()
    {
        var host = new RecordingEffectsHost();
        await using var cluster = await PostgresCluster.StartAsync(3, services => services.AddSingleton<IJobEffectsHost>(sp => host.On(sp)), TimeSpan.FromSeconds(2));
        var grain = cluster.Client.GetGrain<IJobEffectsGrain>("job-expected");
        await grain.ExpectAsync();
        var expectedOn = await HostOfAsync(cluster, "job-expected");

        // The turn committed its effects, and the node died before it could wake the grain.
        await cluster.KillSiloAsync(cluster.Silos.Single(s => s.SiloAddress.Equals(expectedOn)));

        await Eventually.UntilAsync(() => host.Calls.Any(c => c.JobId == "job-expected"), "the effects reminder to perform the job's effects", TimeSpan.FromSeconds(90));
        host.Calls.Where(c => c.JobId == "job-expected").ShouldAllBe(c => !c.Silo.Equals(expectedOn), "performed by a silo that survived");
    }

    [Fact]
    public async Task A_failed_effect_is_tried_again_when_its_retry_is_due_and_the_reminder_goes_once_nothing_is_pending()
    {
        var host = new RecordingEffectsHost();
        await using var cluster = await PostgresCluster.StartAsync(1, services => services.AddSingleton<IJobEffectsHost>(sp => host.On(sp)), TimeSpan.FromSeconds(2));
        var grain = cluster.Client.GetGrain<IJobEffectsGrain>("job-retry");
        var retryAt = DateTimeOffset.UtcNow.AddSeconds(3);
        host.NextDue.Enqueue(retryAt);

        var reminders = cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();

        (await grain.PerformAsync()).ShouldBe(retryAt, "the first try failed; the next is due at its retry time");
        (await reminders.ReadRows(grain.GetGrainId())).Reminders.ShouldHaveSingleItem("the retry is kept by a reminder");

        await Eventually.UntilAsync(() => host.Calls.Count(c => c.JobId == "job-retry") == 2, "the retry, performed by the grain's reminder", TimeSpan.FromSeconds(30));
        host.Calls.Last().At.ShouldBeGreaterThanOrEqualTo(retryAt.AddMilliseconds(-50), "tried again when due, not before");
        await Eventually.UntilAsync(async () => (await reminders.ReadRows(grain.GetGrainId())).Reminders.Count == 0, "the effects reminder to be dropped once nothing is pending");
    }

    private static async Task<SiloAddress> HostOfAsync(Orleans.TestingHost.InProcessTestCluster cluster, string jobId)
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.SingleOrDefault(s => s.GrainType.Contains(nameof(JobEffectsGrain), StringComparison.Ordinal) && s.GrainId.Key.ToString() == jobId)?.SiloAddress
            ?? throw new ShouldAssertException($"no activation of the effects grain {jobId} in {statistics.Length} statistics");
    }

    /// <summary>Records every pass over a job's effects: which job, on which silo, when; answers the next due times queued.</summary>
    private sealed class RecordingEffectsHost
    {
        public ConcurrentQueue<(string JobId, SiloAddress Silo, DateTimeOffset At)> Calls { get; } = new();

        public ConcurrentQueue<DateTimeOffset> NextDue { get; } = new();

        public IJobEffectsHost On(IServiceProvider silo) => new SiloHost(this, silo.GetRequiredService<ILocalSiloDetails>());

        private sealed class SiloHost(RecordingEffectsHost owner, ILocalSiloDetails silo) : IJobEffectsHost
        {
            public Task<DateTimeOffset?> PerformDueAsync(string jobId)
            {
                owner.Calls.Enqueue((jobId, silo.SiloAddress, DateTimeOffset.UtcNow));
                return Task.FromResult(owner.NextDue.TryDequeue(out var due) ? due : (DateTimeOffset?)null);
            }
        }
    }
}
