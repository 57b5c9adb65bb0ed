using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Server.Actors;
using AgentMesh.Server.GitHubAccess;
using Octokit;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>The dashboard's job actions, on the admin API's path: <see cref="JobAdminService"/> and the job actor.</summary>
public sealed partial class DashboardJobActions(JobAdminService admin, JobActor jobs, GitHubClientProvider github, ILogger<DashboardJobActions> logger) : IJobActions
{
    public Task<JobActionResult> StopAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        ApplyAsync(jobId, JobAdminAction.Stop, cancellationToken);

    public Task<JobActionResult> RetryAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        ApplyAsync(jobId, JobAdminAction.Retry, cancellationToken);

    /// <summary>
    /// Closes the job, then its issue on GitHub. The job first: once it is closed no worker starts on it, and the
    /// issues.closed webhook GitHub then sends finds a closed job. Closing a closed issue changes nothing, so a
    /// repeated close (a double drop, two people at once) is harmless.
    /// </summary>
    public async Task<JobActionResult> CloseAsync(string jobId, string actor, CancellationToken cancellationToken)
    {
        var closed = await ApplyAsync(jobId, JobAdminAction.Close, cancellationToken).ConfigureAwait(false);
        if (!closed.Done || await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return closed;
        }
        var repo = job.Record.Repo;
        var number = job.State.Number;
        try
        {
            var client = await github.ForRepositoryAsync(repo, cancellationToken).ConfigureAwait(false);
            var (owner, name) = Split(repo);
            await client.CloseIssueAsync(owner, name, number, cancellationToken).ConfigureAwait(false);
            LogIssueClosed(logger, repo, number, jobId);
            return JobActionResult.Ok;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or InvalidOperationException)
        {
            LogIssueNotClosed(logger, repo, number, jobId, ex.Message);
            return JobActionResult.Refused($"The job is closed, but GitHub did not close {repo}#{number} ({ex.Message}): close the issue on GitHub.");
        }
    }

    public async Task<JobActionResult> SendMessageAsync(string jobId, string author, string text, bool interrupt, CancellationToken cancellationToken)
    {
        try
        {
            // The path a comment's message takes (WorkIntentHandler): the actor's mailbox, delivered by the job's worker.
            await jobs.SendAsync(jobId, new PostChatMessage(author, text, interrupt ? ChatMessageKind.Interrupt : ChatMessageKind.Message), cancellationToken: cancellationToken).ConfigureAwait(false);
            return JobActionResult.Ok;
        }
        catch (KeyNotFoundException)
        {
            return JobActionResult.Refused($"Job {jobId} does not exist.");
        }
        catch (JobDomainException ex)
        {
            return JobActionResult.Refused(ex.Message);
        }
    }

    internal static (string Owner, string Name) Split(string repo)
    {
        var slash = repo.IndexOf('/', StringComparison.Ordinal);
        return (repo[..slash], repo[(slash + 1)..]);
    }

    private async Task<JobActionResult> ApplyAsync(string jobId, JobAdminAction action, CancellationToken cancellationToken)
    {
        var outcome = await admin.ApplyAsync(jobId, action, cancellationToken).ConfigureAwait(false);
        return outcome.Status == JobActionStatus.Done ? JobActionResult.Ok : JobActionResult.Refused(outcome.Error ?? "Refused.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard closed {Repo}#{Number} on GitHub after closing job {JobId}")]
    private static partial void LogIssueClosed(ILogger logger, string repo, int number, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} is closed but GitHub did not close {Repo}#{Number}: {Reason}")]
    private static partial void LogIssueNotClosed(ILogger logger, string repo, int number, string jobId, string reason);
}
