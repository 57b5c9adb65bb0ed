using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Server.Actors;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>The dashboard's job actions, on the admin API's path: <see cref="JobAdminService"/> and the job actor.</summary>
public sealed class DashboardJobActions(JobAdminService admin, JobActor actor) : IJobActions
{
    public Task<JobActionResult> StopAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        ApplyAsync(jobId, JobAdminAction.Stop, cancellationToken);

    public Task<JobActionResult> RetryAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        ApplyAsync(jobId, JobAdminAction.Retry, cancellationToken);

    public Task<JobActionResult> CloseAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        ApplyAsync(jobId, JobAdminAction.Close, cancellationToken);

    public async Task<JobActionResult> SendMessageAsync(string jobId, string author, string text, bool interrupt, CancellationToken cancellationToken)
    {
        try
        {
            // The path a comment's message takes (WorkIntentHandler): the actor's mailbox, delivered by the job's worker.
            await actor.SendAsync(jobId, new PostChatMessage(author, text, interrupt ? ChatMessageKind.Interrupt : ChatMessageKind.Message), cancellationToken: cancellationToken).ConfigureAwait(false);
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

    private async Task<JobActionResult> ApplyAsync(string jobId, JobAdminAction action, CancellationToken cancellationToken)
    {
        var outcome = await admin.ApplyAsync(jobId, action, cancellationToken).ConfigureAwait(false);
        return outcome.Status == JobActionStatus.Done ? JobActionResult.Ok : JobActionResult.Refused(outcome.Error ?? "Refused.");
    }
}
