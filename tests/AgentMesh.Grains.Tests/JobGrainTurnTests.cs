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
/// A job's grain is its one decider: turns sent from any silo run on the silo of the job's grain. (That they run one at
/// a time there is Orleans' single-threaded activation, which <see cref="JobGrain"/> does not opt out of; the row lock
/// of the node's turn is the second line.)
/// </summary>
public sealed class JobGrainTurnTests
{
    [Fact]
    public async Task Turns_of_one_job_sent_from_every_silo_at_once_all_run_on_the_silo_of_its_grain()
    {
        var turns = new SiloRecordingTurns();
        await using var cluster = await PostgresCluster.StartAsync(3, services => services.AddSingleton<IJobTurnHost>(sp => turns.On(sp)), TimeSpan.FromSeconds(2));
        var senders = cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).Append(cluster.Client).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(n =>
            senders[n % senders.Length].GetGrain<IJobGrain>("job-1").DecideAsync(new JobTurn(new PostChatMessage("alice", $"message {n}", ChatMessageKind.Message)))));

        answers.ShouldAllBe(a => a.Refusal == JobTurnRefusal.None);
        turns.Decided.Count.ShouldBe(40);
        turns.Decided.Select(t => t.Silo).Distinct().Count().ShouldBe(1, "every turn ran where the job's grain lives, whoever sent it");

        // From every sender, so at least three answers crossed between processes' worth of serialization.
        foreach (var sender in senders)
        {
            var refused = await sender.GetGrain<IJobGrain>("job-1").DecideAsync(new JobTurn(new Stop("maintainer")));
            refused.ShouldBe(JobTurnResult.Refused(JobTurnRefusal.IllegalTransition, "Job job-1 cannot handle Stop while merged.", JobState.Merged, nameof(Stop)));
        }
    }

    /// <summary>Turns as a node would take them (here: counted, not stored), each recorded with the silo that ran it.</summary>
    private sealed class SiloRecordingTurns
    {
        public ConcurrentQueue<(SiloAddress Silo, string JobId)> Decided { get; } = new();

        public IJobTurnHost On(IServiceProvider silo) => new Host(this, silo.GetRequiredService<ILocalSiloDetails>().SiloAddress);

        private sealed class Host(SiloRecordingTurns owner, SiloAddress silo) : IJobTurnHost
        {
            public Task<JobTurnResult> DecideAsync(string jobId, JobTurn turn)
            {
                owner.Decided.Enqueue((silo, jobId));
                // A stop is refused as the node refuses it for a merged job, to see the refusal cross the silos intact.
                return Task.FromResult(turn.Command is Stop
                    ? JobTurnResult.Refused(JobTurnRefusal.IllegalTransition, $"Job {jobId} cannot handle Stop while merged.", JobState.Merged, nameof(Stop))
                    : new JobTurnResult(null, null));
            }

            public Task<AgentMesh.Grains.Abstractions.Repos.RunClaim> ClaimAsync(string jobId, string owner, string repo, int repoLimit) => throw RecordingJobTurns.Unexpected(jobId);

            public Task<JobCreation> CreateAsync(string jobId, NewJobSpec spec) => throw RecordingJobTurns.Unexpected(jobId);

            public Task<JobTurnResult> HoldClaimAsync(string jobId, RunFence run, DateTimeOffset until, string reason) => throw RecordingJobTurns.Unexpected(jobId);

            public Task RecordEventAsync(string jobId, string type, string dataJson) => throw RecordingJobTurns.Unexpected(jobId);
        }
    }
}
