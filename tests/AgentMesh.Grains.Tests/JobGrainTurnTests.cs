using System.Collections.Concurrent;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Shouldly;
using Xunit;

namespace AgentMesh.Grains.Tests;

/// <summary>
/// A job's grain is its one decider: turns sent from any silo run on the silo of the job's grain, one at a time.
/// </summary>
public sealed class JobGrainTurnTests
{
    [Fact]
    public async Task Turns_of_one_job_sent_from_every_silo_at_once_run_one_at_a_time_on_the_silo_of_its_grain()
    {
        var turns = new SiloRecordingTurns();
        await using var cluster = await PostgresCluster.StartAsync(3, services => services.AddSingleton<IJobTurnHost>(sp => turns.On(sp)), TimeSpan.FromSeconds(2));
        var senders = cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).Append(cluster.Client).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(n =>
            senders[n % senders.Length].GetGrain<IJobGrain>("job-1").DecideAsync(new JobTurn(new PostChatMessage("alice", $"message {n}", ChatMessageKind.Message)))));

        answers.ShouldAllBe(a => a.Refusal == JobTurnRefusal.None);
        turns.Decided.Count.ShouldBe(40);
        turns.Decided.Select(t => t.Silo).Distinct().Count().ShouldBe(1, "every turn ran where the job's grain lives, whoever sent it");
        turns.MostAtOnce.ShouldBe(1, "a job's turns never overlap");
    }

    /// <summary>Turns as a node would take them (here: counted, not stored), each recorded with the silo that ran it.</summary>
    private sealed class SiloRecordingTurns
    {
        private int _inFlight;
        private int _mostAtOnce;

        public ConcurrentQueue<(SiloAddress Silo, string JobId)> Decided { get; } = new();

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public IJobTurnHost On(IServiceProvider silo) => new Host(this, silo.GetRequiredService<ILocalSiloDetails>().SiloAddress);

        private sealed class Host(SiloRecordingTurns owner, SiloAddress silo) : IJobTurnHost
        {
            public async Task<JobTurnResult> DecideAsync(string jobId, JobTurn turn)
            {
                var now = Interlocked.Increment(ref owner._inFlight);
                InterlockedMax(ref owner._mostAtOnce, now);
                // Give any overlapping turn the chance to enter while this one is in the middle.
                await Task.Yield();
                owner.Decided.Enqueue((silo, jobId));
                Interlocked.Decrement(ref owner._inFlight);
                return new JobTurnResult(null, null);
            }

            public Task<RunFence?> ClaimAsync(string jobId, string owner) => throw RecordingJobTurns.Unexpected(jobId);

            public Task<JobCreation> CreateAsync(string jobId, NewJobSpec spec) => throw RecordingJobTurns.Unexpected(jobId);

            public Task<JobTurnRefusal> HoldClaimAsync(string jobId, RunFence run, DateTimeOffset until, string reason) => throw RecordingJobTurns.Unexpected(jobId);

            public Task RecordEventAsync(string jobId, string type, string dataJson) => throw RecordingJobTurns.Unexpected(jobId);

            private static void InterlockedMax(ref int target, int value)
            {
                int seen;
                while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
                {
                }
            }
        }
    }
}
