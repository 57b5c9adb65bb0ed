using System.Collections.Concurrent;

namespace AgentMesh.Server.Worker;

/// <summary>The jobs this node runs now: counted in the heartbeat, awaited on shutdown.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _jobs = new(StringComparer.Ordinal);

    public int Count => _jobs.Count;

    public IDisposable Add(string jobId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _jobs[jobId] = done;
        return new Registration(this, jobId, done);
    }

    public Task WhenAllFinishedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_jobs.Values.Select(j => j.Task)).WaitAsync(cancellationToken);

    private sealed class Registration(RunningJobs owner, string jobId, TaskCompletionSource done) : IDisposable
    {
        public void Dispose()
        {
            owner._jobs.TryRemove(jobId, out _);
            done.TrySetResult();
        }
    }
}
