using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Grains.Jobs;
using AgentMesh.Server.Actors;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Maintenance;

/// <summary>
/// The node's side of a job grain finding a run lost: the job gets <see cref="RunLost"/> in a turn fenced by
/// that run's claim, so the state machine re-queues it as the next attempt (or fails it after the last), and
/// the claim is released with its fence bumped, which refuses any late write of the lost run.
/// </summary>
public sealed partial class JobRunRescue(JobActor jobs, ILogger<JobRunRescue> logger) : IJobRunRescue
{
    public async Task RunLostAsync(string jobId, string owner, long fence)
    {
        try
        {
            var job = await jobs.AbandonClaimAsync(new JobLease(jobId, owner, fence)).ConfigureAwait(false);
            LogRescued(logger, jobId, fence, job.State.ToString(), job.Attempt);
        }
        catch (StaleLeaseException)
        {
            // The run reported, was stopped, or the job was claimed again since: nothing was lost.
        }
        catch (KeyNotFoundException)
        {
            // Purged.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Fence} of job {JobId} was lost with its silo: now {State}, attempt {Attempt}")]
    private static partial void LogRescued(ILogger logger, string jobId, long fence, string state, int attempt);
}
