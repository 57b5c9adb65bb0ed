using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Grains.Workers;
using AgentMesh.Server.Actors;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>
/// A worker silo's side of an agent-worker grain: runs a claimed job here and keeps the silo's list of
/// running jobs. On shutdown, runs still going when the grace period ends are stopped and their claims
/// handed back for another worker silo (<see cref="HandBackAllAsync"/>).
/// </summary>
public sealed partial class AgentRunHost(
    JobActor jobs,
    JobExecution execution,
    RunningJobs running,
    ILogger<AgentRunHost> logger) : IAgentRunHost, IDisposable
{
    private readonly CancellationTokenSource _handBack = new();

    public AgentRunTasks Start(AgentRunTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var previous = running.WhenFinishedAsync(ticket.JobId, _handBack.Token);
        var registration = running.Add(ticket.JobId);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Off the grain's scheduler: the run is minutes of I/O the grain must not wait on.
        var ended = Task.Run(() => RunAsync(ticket, previous, registration, started));
        return new AgentRunTasks(started.Task, ended);
    }

    /// <summary>Stops every run still going and gives its claim back; called when the shutdown grace period is over.</summary>
    public Task HandBackAllAsync() => _handBack.CancelAsync();

    public void Dispose() => _handBack.Dispose();

    private async Task RunAsync(AgentRunTicket ticket, Task previous, IDisposable registration, TaskCompletionSource started)
    {
        using var _ = registration;
        var lease = new JobLease(ticket.JobId, ticket.Owner, ticket.Fence);
        try
        {
            // A job stopped and at once re-run must not start in the worktree its previous run still cleans up.
            await previous.ConfigureAwait(false);
            // The run is not cancelled by "stop claiming"; only the end of the grace period stops it.
            await execution.RunAsync(lease, ticket.Job, () => started.TrySetResult(), _handBack.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_handBack.IsCancellationRequested)
        {
            await GiveBackAsync(lease).ConfigureAwait(false);
            LogHandedBack(logger, ticket.JobId);
        }
        catch (Exception ex)
        {
            // The job's own failures are its state (JobExecution); this is the node's trouble: the run is lost,
            // and the job goes back as its next attempt (if this fails too, its job grain's watch finds the run gone).
            LogRunFailed(logger, ex, ticket.JobId);
            await GiveBackAsync(lease).ConfigureAwait(false);
        }
        finally
        {
            started.TrySetResult();
        }
    }

    private async Task GiveBackAsync(JobLease lease)
    {
        try
        {
            await jobs.AbandonClaimAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StaleLeaseException)
        {
            // Someone else has it already.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogGiveBackFailed(logger, ex, lease.JobId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The claim on job {JobId} could not be given back; its job grain's watch will find the run gone")]
    private static partial void LogGiveBackFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} handed back for another node")]
    private static partial void LogHandedBack(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The run of job {JobId} failed on this node; its claim is given back")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string jobId);
}
