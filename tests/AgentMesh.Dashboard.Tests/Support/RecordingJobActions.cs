using System.Collections.Concurrent;
using AgentMesh.Dashboard.Jobs;

namespace AgentMesh.Dashboard.Tests.Support;

/// <summary>Job actions that record what a component asked for and answer as told.</summary>
internal sealed class RecordingJobActions : IJobActions
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public JobActionResult Answer { get; set; } = JobActionResult.Ok;

    public Task<JobActionResult> StopAsync(string jobId, string actor, CancellationToken cancellationToken) => Record($"stop {jobId} by {actor}");

    public Task<JobActionResult> RetryAsync(string jobId, string actor, CancellationToken cancellationToken) => Record($"retry {jobId} by {actor}");

    public Task<JobActionResult> CloseAsync(string jobId, string actor, CancellationToken cancellationToken) => Record($"close {jobId} by {actor}");

    public Task<JobActionResult> SendMessageAsync(string jobId, string author, string text, bool interrupt, CancellationToken cancellationToken) =>
        Record($"{(interrupt ? "interrupt" : "message")} {jobId} by {author}: {text}");

    private Task<JobActionResult> Record(string call)
    {
        Calls.Enqueue(call);
        return Task.FromResult(Answer);
    }
}
