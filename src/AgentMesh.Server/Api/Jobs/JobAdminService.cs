using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Server.Actors;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>
/// Applies a person's stop, retry or close to a job through the job actor, so the same state
/// machine that guards workers guards the admin too: an illegal command is refused with the
/// domain's message and changes nothing. Used by the single-job endpoints and the bulk one.
/// </summary>
public sealed partial class JobAdminService(JobActor actor, ILogger<JobAdminService> logger)
{
    /// <summary>Who the job's history says acted. The token identifies no person, so it is the API.</summary>
    public const string ActorName = "admin-api";

    public async Task<JobActionOutcome> ApplyAsync(string jobId, JobAdminAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (await actor.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is null)
        {
            return NotFound(jobId);
        }

        JobCommand command = action switch
        {
            JobAdminAction.Stop => new Stop(ActorName),
            JobAdminAction.Retry => new Rerun(ActorName),
            JobAdminAction.Close => new IssueClosed(),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown admin action."),
        };
        try
        {
            // No lease: a person's command overrides the worker; the actor releases its lease and the fence refuses its later writes.
            await actor.SendAsync(jobId, command, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            return NotFound(jobId);
        }
        catch (JobDomainException ex)
        {
            LogRefused(logger, action, jobId, ex.Message);
            return new JobActionOutcome(JobActionStatus.Refused, null, ex.Message);
        }

        var after = await actor.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (after is not { } found)
        {
            return NotFound(jobId);
        }
        var summary = JobSummary.From(found.Record, found.State);
        LogApplied(logger, action, jobId, summary.State.ToWire());

        // Closing is a no-op for a job whose pull request decides its end, or one already finished:
        // the caller asked for "closed", so anything else is reported as not done.
        if (action == JobAdminAction.Close && summary.State != JobState.Closed)
        {
            return new JobActionOutcome(
                JobActionStatus.Refused,
                summary,
                $"Job {jobId} is {summary.State.ToWire()} and was not closed: only an open job without a pull request can be closed (a pull request's merge or close decides the others).");
        }
        return new JobActionOutcome(JobActionStatus.Done, summary, null);
    }

    private static JobActionOutcome NotFound(string jobId) => new(JobActionStatus.NotFound, null, $"Job {jobId} does not exist.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Action} of job {JobId}: now {State}")]
    private static partial void LogApplied(ILogger logger, JobAdminAction action, string jobId, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {Action} of job {JobId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, JobAdminAction action, string jobId, string reason);
}
