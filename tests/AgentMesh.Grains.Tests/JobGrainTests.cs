using System.Threading.Channels;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Jobs;
using AgentMesh.Testing;
using Orleans.Runtime;
using Orleans.Streams;
using Shouldly;
using Xunit;

namespace AgentMesh.Grains.Tests;

/// <summary>
/// The job grain's durable timer: a job that waits for a time (a retry's backoff) is announced to the
/// workers on <c>job-changes/*</c> when the time comes, even when the silo that scheduled it died.
/// </summary>
public sealed class JobGrainTests
{
    [Fact]
    public async Task A_job_waiting_for_a_time_is_announced_when_the_time_comes_and_then_forgotten()
    {
        await using var cluster = await PostgresCluster.StartAsync(2, _ => { }, TimeSpan.FromSeconds(2));
        await using var announcements = await Announcements.SubscribeAsync(cluster.Client);
        var grain = cluster.Client.GetGrain<IJobGrain>("job-backoff");
        var due = DateTimeOffset.UtcNow.AddSeconds(3);

        await grain.WakeAtAsync(due);

        (await grain.GetWakeTimeAsync()).ShouldBe(due);
        var notice = await announcements.NextForAsync("job-backoff", "the job's announcement when its backoff ends");
        notice.Kind.ShouldBe(JobChangeKind.Job);
        DateTimeOffset.UtcNow.ShouldBeGreaterThanOrEqualTo(due.AddMilliseconds(-50), "announced when due, not when scheduled");
        (await grain.GetWakeTimeAsync()).ShouldBeNull("an announced job forgets its timer");
    }

    [Fact]
    public async Task A_job_due_already_is_announced_at_once()
    {
        await using var cluster = await PostgresCluster.StartAsync(1, _ => { }, TimeSpan.FromSeconds(2));
        await using var announcements = await Announcements.SubscribeAsync(cluster.Client);
        var grain = cluster.Client.GetGrain<IJobGrain>("job-due");

        await grain.WakeAtAsync(DateTimeOffset.UtcNow.AddSeconds(-1));

        await announcements.NextForAsync("job-due", "the announcement of a job already due");
        (await grain.GetWakeTimeAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task The_announcement_survives_the_death_of_the_silo_that_scheduled_it()
    {
        await using var cluster = await PostgresCluster.StartAsync(3, _ => { }, TimeSpan.FromSeconds(2));
        await using var announcements = await Announcements.SubscribeAsync(cluster.Client);
        var grain = cluster.Client.GetGrain<IJobGrain>("job-failover");
        await grain.WakeAtAsync(DateTimeOffset.UtcNow.AddSeconds(4));
        var host = await HostOfAsync(cluster, "job-failover");
        await cluster.KillSiloAsync(cluster.Silos.Single(s => s.SiloAddress.Equals(host)));

        var notice = await announcements.NextForAsync("job-failover", "the announcement, fired by a silo that survived", TimeSpan.FromSeconds(90));
        notice.Kind.ShouldBe(JobChangeKind.Job);
        cluster.Silos.ShouldNotContain(s => s.SiloAddress.Equals(host), "the silo that scheduled it is dead");
    }

    [Fact]
    public async Task A_new_activation_reads_the_timer_its_job_stored_when_it_first_needs_it()
    {
        await using var cluster = await PostgresCluster.StartAsync(2, _ => { }, TimeSpan.FromSeconds(2));
        var grain = cluster.Client.GetGrain<IJobGrain>("job-timer-read");
        var due = DateTimeOffset.UtcNow.AddHours(1);
        await grain.WakeAtAsync(due);
        await grain.WatchRunAsync("worker-1/1", 7);
        var host = await HostOfAsync(cluster, "job-timer-read");

        await cluster.KillSiloAsync(cluster.Silos.Single(s => s.SiloAddress.Equals(host)));

        // The next call activates the grain on the silo left; the timer is read from storage, not started afresh.
        (await grain.GetWakeTimeAsync()).ShouldBe(due);
        (await grain.GetWatchedRunAsync()).ShouldBe(new WatchedRun("worker-1/1", 7));
        (await HostOfAsync(cluster, "job-timer-read")).ShouldNotBe(host);
    }

    private static async Task<SiloAddress> HostOfAsync(Orleans.TestingHost.InProcessTestCluster cluster, string jobId)
    {
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.SingleOrDefault(s => s.GrainType.Contains(nameof(JobGrain), StringComparison.Ordinal) && s.GrainId.Key.ToString() == jobId)?.SiloAddress
            ?? throw new ShouldAssertException($"no activation of the job grain {jobId} in {statistics.Length} statistics");
    }

    /// <summary>What a worker silo hears on <c>job-changes/*</c>.</summary>
    private sealed class Announcements : IAsyncDisposable
    {
        private readonly Channel<JobChangeNotice> _notices = Channel.CreateUnbounded<JobChangeNotice>();
        private StreamSubscriptionHandle<JobChangeNotice>? _handle;

        public static async Task<Announcements> SubscribeAsync(IClusterClient client)
        {
            var announcements = new Announcements();
            var stream = client.GetStreamProvider(JobChangeStreams.Provider)
                .GetStream<JobChangeNotice>(StreamId.Create(JobChangeStreams.Namespace, JobChangeStreams.AllJobs));
            announcements._handle = await stream.SubscribeAsync((notice, _) => announcements._notices.Writer.WriteAsync(notice).AsTask());
            return announcements;
        }

        public async Task<JobChangeNotice> NextForAsync(string jobId, string awaited, TimeSpan? within = null)
        {
            using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
            try
            {
                while (true)
                {
                    var notice = await _notices.Reader.ReadAsync(deadline.Token);
                    if (notice.JobId == jobId)
                    {
                        return notice;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new ShouldAssertException($"timed out waiting for {awaited}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_handle is not null)
            {
                await _handle.UnsubscribeAsync();
            }
        }
    }
}
