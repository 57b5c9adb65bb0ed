using System.Collections.Concurrent;

namespace AgentMesh.Server.Worker;

/// <summary>The jobs this node runs now: a worker slot waits on its run's end, and shutdown on all of them.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _jobs = new(StringComparer.Ordinal);

    public int Count => _jobs.Count;

    /// <summary>
    /// Registers a run of <paramref name="jobId"/> until the returned handle is disposed. A run registered
    /// while an earlier run of the job still ends takes its place; it waits for that run itself.
    /// </summary>
    public IDisposable Add(string jobId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _jobs[jobId] = done;
        return new Registration(this, jobId, done);
    }

    /// <summary>
    /// Completes when this node no longer runs <paramref name="jobId"/>: a job stopped and at once
    /// re-run must not start in the worktree its previous run is still cleaning up.
    /// </summary>
    public Task WhenFinishedAsync(string jobId, CancellationToken cancellationToken) =>
        _jobs.TryGetValue(jobId, out var running) ? running.Task.WaitAsync(cancellationToken) : Task.CompletedTask;

    public Task WhenAllFinishedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_jobs.Values.Select(j => j.Task)).WaitAsync(cancellationToken);

    private sealed class Registration(RunningJobs owner, string jobId, TaskCompletionSource done) : IDisposable
    {
        public void Dispose()
        {
            // Only its own entry: a re-run registered while this one was ending keeps its place.
            owner._jobs.TryRemove(new KeyValuePair<string, TaskCompletionSource>(jobId, done));
            done.TrySetResult();
        }
    }
}
