using AgentMesh.Grains.Abstractions.Jobs;
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
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _startsRecorded = new();

    /// <summary>Whether a run's start stays unrecorded until <see cref="RecordStart"/> (else it is recorded at once).</summary>
    public bool HoldStarts { get; init; }
    private readonly ConcurrentDictionary<string, int> _starts = new();

    public ConcurrentDictionary<string, SiloAddress> Silos { get; } = new();

    public int Starts(string workerKey) => _starts.GetValueOrDefault(workerKey);

    public void Finish(string workerKey) => _runs[workerKey].TrySetResult();

    /// <summary>The run's start is recorded with its job, as the node's run does with its Start turn.</summary>
    public void RecordStart(string workerKey) => StartRecorded(workerKey).TrySetResult();

    private TaskCompletionSource StartRecorded(string workerKey) =>
        _startsRecorded.GetOrAdd(workerKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public IAgentRunHost On(IServiceProvider silo) => new SiloRunHost(this, silo.GetRequiredService<ILocalSiloDetails>());

    private sealed class SiloRunHost(RecordingRunHost owner, ILocalSiloDetails silo) : IAgentRunHost
    {
        public AgentRunTasks Start(AgentRunTicket ticket)
        {
            owner._starts.AddOrUpdate(ticket.WorkerKey, 1, (_, n) => n + 1);
            owner.Silos[ticket.WorkerKey] = silo.SiloAddress;
            var ended = owner._runs.GetOrAdd(ticket.WorkerKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            return new AgentRunTasks(owner.HoldStarts ? owner.StartRecorded(ticket.WorkerKey).Task : Task.CompletedTask, ended);
        }
    }
}

/// <summary>Records the runs job grains take as lost (the turns the node would store); other turns fail the call.</summary>
internal sealed class RecordingJobTurns : IJobTurnHost
{
    public ConcurrentQueue<(string JobId, string Owner, long Fence)> Lost { get; } = new();

    public Task<JobTurnResult> DecideAsync(string jobId, JobTurn turn)
    {
        if (turn is not { Command: AgentMesh.Core.Jobs.Commands.RunLost lost, Run: { } run })
        {
            throw new InvalidOperationException($"The test expected only lost runs, but job {jobId} got {turn.Command.Name}.");
        }
        Lost.Enqueue((jobId, run.Owner, lost.Fence));
        return Task.FromResult(new JobTurnResult(null, null));
    }

    public Task<JobCreation> CreateAsync(string jobId, NewJobSpec spec) => throw Unexpected(jobId);

    public Task<AgentMesh.Grains.Abstractions.Repos.RunClaim> ClaimAsync(string jobId, string owner, string repo, int repoLimit) => throw Unexpected(jobId);

    public Task<JobTurnResult> HoldClaimAsync(string jobId, RunFence run, DateTimeOffset until, string reason) => throw Unexpected(jobId);

    public Task RecordEventAsync(string jobId, string type, string dataJson) => throw Unexpected(jobId);

    internal static InvalidOperationException Unexpected(string jobId) => new($"The test expected no turn of job {jobId} but a lost run's.");
}

/// <summary>The turns a cluster gets when its test expects no job to change: any turn fails the job grain's call.</summary>
internal sealed class UnexpectedJobTurns : IJobTurnHost
{
    public Task<JobTurnResult> DecideAsync(string jobId, JobTurn turn) =>
        throw new InvalidOperationException($"The test expected no job to change, but job {jobId} got {turn?.Command.Name}.");

    public Task<JobCreation> CreateAsync(string jobId, NewJobSpec spec) => throw RecordingJobTurns.Unexpected(jobId);

    public Task<AgentMesh.Grains.Abstractions.Repos.RunClaim> ClaimAsync(string jobId, string owner, string repo, int repoLimit) => throw RecordingJobTurns.Unexpected(jobId);

    public Task<JobTurnResult> HoldClaimAsync(string jobId, RunFence run, DateTimeOffset until, string reason) => throw RecordingJobTurns.Unexpected(jobId);

    public Task RecordEventAsync(string jobId, string type, string dataJson) => throw RecordingJobTurns.Unexpected(jobId);
}
