using System.Collections.Concurrent;
using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Grains.Jobs;
using AgentMesh.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace AgentMesh.Grains.Tests;

/// <summary>Records where each run was started; a run lasts until the test finishes it.</summary>
internal sealed class RecordingRunHost
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _runs = new();
    private readonly ConcurrentDictionary<string, int> _starts = new();

    public ConcurrentDictionary<string, SiloAddress> Silos { get; } = new();

    public int Starts(string workerKey) => _starts.GetValueOrDefault(workerKey);

    public void Finish(string workerKey) => _runs[workerKey].TrySetResult();

    public IAgentRunHost On(IServiceProvider silo) => new SiloRunHost(this, silo.GetRequiredService<ILocalSiloDetails>());

    private sealed class SiloRunHost(RecordingRunHost owner, ILocalSiloDetails silo) : IAgentRunHost
    {
        public Task Start(AgentRunTicket ticket)
        {
            owner._starts.AddOrUpdate(ticket.WorkerKey, 1, (_, n) => n + 1);
            owner.Silos[ticket.WorkerKey] = silo.SiloAddress;
            return owner._runs.GetOrAdd(ticket.WorkerKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }
}

/// <summary>Records the runs job grains report lost, as the node would send them to their jobs.</summary>
internal sealed class RecordingRunRescue : IJobRunRescue
{
    public ConcurrentQueue<(string JobId, string Owner, long Fence)> Lost { get; } = new();

    public Task RunLostAsync(string jobId, string owner, long fence)
    {
        Lost.Enqueue((jobId, owner, fence));
        return Task.CompletedTask;
    }
}

/// <summary>The rescue a cluster gets when its test expects no run to be lost: a report fails the job grain's call.</summary>
internal sealed class UnexpectedRunRescue : IJobRunRescue
{
    public Task RunLostAsync(string jobId, string owner, long fence) =>
        throw new InvalidOperationException($"The test expected no run to be reported lost, but run {fence} of {jobId} ({owner}) was.");
}

/// <summary>The run claims a cluster gets when its test claims no runs: a claim fails the repo grain's call.</summary>
internal sealed class UnexpectedRunClaims : AgentMesh.Grains.Repos.IRunClaims
{
    public Task<int> CountHeldAsync(string repo) => throw new InvalidOperationException($"The test expected no run claims, but repo {repo} was asked.");

    public Task<AgentRunTicket?> TryClaimAsync(string jobId, string owner) => throw new InvalidOperationException($"The test expected no run claims, but job {jobId} was claimed.");
}
