using System.Collections.Concurrent;
using AgentMesh.Dashboard.Jobs;

namespace AgentMesh.Dashboard.Tests.Support;

/// <summary>Job creation that records what the dialog asked for and answers as told.</summary>
internal sealed class RecordingJobCreation : IJobCreation
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public JobCreationResult Answer { get; set; } = new("job-1", 7, null);

    public Task<JobCreationResult> FromIssueAsync(string repo, int number, string actor, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"issue {repo}#{number} by {actor}");
        return Task.FromResult(Answer);
    }

    public Task<JobCreationResult> WithNewIssueAsync(string repo, string title, string? body, string actor, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"new {repo}: {title} / {body} by {actor}");
        return Task.FromResult(Answer);
    }
}
