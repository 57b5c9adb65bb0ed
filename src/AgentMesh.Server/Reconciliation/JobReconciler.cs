using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.Actors;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Reconciliation;

/// <summary>
/// Brings open jobs up to date with GitHub: a pull request merged or closed, or an issue closed,
/// while no node received the webhook. Every change goes through the job actor as the same command
/// the webhook would have sent, so a pass is idempotent and safe on several nodes at once: a
/// command the job refuses or ignores means it is already consistent.
/// </summary>
public sealed partial class JobReconciler(
    IAgentMeshStore store,
    JobActor jobs,
    GitHubClientProvider github,
    IOptions<ReconciliationOptions> options,
    ILogger<JobReconciler> logger)
{
    /// <summary>The states a missed webhook can leave behind; terminal jobs never need catching up.</summary>
    public static readonly IReadOnlyList<JobState> OpenStates =
        [JobState.WaitingForReply, JobState.WaitingForApproval, JobState.PrOpened, JobState.Fixing, JobState.Queued, JobState.Running];

    private enum Outcome
    {
        Unchanged,
        Updated,
        Failed,
    }

    /// <summary>
    /// One pass: reads every open job, asks GitHub about its pull request or issue, and sends the job
    /// what it missed. A GitHub error for one job is logged and the pass goes on with the others.
    /// </summary>
    public async Task<ReconciliationPass> ReconcileOnceAsync(CancellationToken cancellationToken = default)
    {
        var open = await ListOpenJobsAsync(cancellationToken).ConfigureAwait(false);
        int updated = 0, failed = 0;
        foreach (var job in open)
        {
            switch (await ReconcileAsync(job, cancellationToken).ConfigureAwait(false))
            {
                case Outcome.Updated:
                    updated++;
                    break;
                case Outcome.Failed:
                    failed++;
                    break;
            }
        }
        var pass = new ReconciliationPass(open.Count, updated, failed);
        if (pass.Updated > 0 || pass.Failed > 0)
        {
            LogPassFinished(logger, pass.Checked, pass.Updated, pass.Failed);
        }
        else
        {
            // Most passes find nothing to do; every few minutes on every node, that is noise at Information.
            LogPassQuiet(logger, pass.Checked);
        }
        return pass;
    }

    private async Task<List<JobRecord>> ListOpenJobsAsync(CancellationToken cancellationToken)
    {
        // Read every page before changing anything: a job the pass merges leaves the filter, which
        // would shift later offsets and skip jobs. New jobs arriving while paging can repeat one, hence the set.
        var pageSize = options.Value.PageSize;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var open = new List<JobRecord>();
        for (var offset = 0; ; offset += pageSize)
        {
            var page = await store.Jobs.ListAsync(new JobQuery(States: OpenStates, Limit: pageSize, Offset: offset), cancellationToken).ConfigureAwait(false);
            open.AddRange(page.Where(job => seen.Add(job.Id)));
            if (page.Count < pageSize)
            {
                return open;
            }
        }
    }

    private async Task<Outcome> ReconcileAsync(JobRecord job, CancellationToken cancellationToken)
    {
        try
        {
            var client = await github.ForRepositoryAsync(job.Repo, cancellationToken).ConfigureAwait(false);
            var missed = await FindMissedCommandAsync(client, JobActor.Deserialize(job.DataJson), cancellationToken).ConfigureAwait(false);
            if (missed is null)
            {
                return Outcome.Unchanged;
            }
            // The state the turn started from, not the listed one: a webhook or another node may have
            // applied the same change since, and then the command is a no-op that must not count.
            var (before, after) = await jobs.DecideAsync(job.Id, missed, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (before.State == after.State)
            {
                return Outcome.Unchanged;
            }
            LogBroughtUpToDate(logger, job.Id, job.Repo, missed.Name, before.State.ToWire(), after.State.ToWire());
            return Outcome.Updated;
        }
        catch (JobDomainException ex)
        {
            // The job moved on since it was listed (stopped, re-run …) and refuses the command: nothing to fix.
            LogRefused(logger, job.Id, ex.Message);
            return Outcome.Unchanged;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogJobFailed(logger, job.Id, job.Repo, ex);
            return Outcome.Failed;
        }
    }

    /// <summary>The command the job missed, or null when GitHub agrees with it.</summary>
    private static async Task<JobCommand?> FindMissedCommandAsync(GitHubClient client, JobActorState job, CancellationToken cancellationToken)
    {
        var slash = job.Repo.IndexOf('/', StringComparison.Ordinal);
        var (owner, name) = (job.Repo[..slash], job.Repo[(slash + 1)..]);
        if (job.PullRequest is { } link)
        {
            // Once a PR exists its merge or close decides the outcome; the job ignores IssueClosed then.
            var pull = await client.GetPullRequestAsync(owner, name, link.Number, cancellationToken).ConfigureAwait(false);
            if (!IsClosed(pull.State.StringValue))
            {
                return null;
            }
            return pull.Merged == true || pull.MergedAt is not null ? new Merged() : new PrClosedWithoutMerge();
        }
        if (job.Kind != JobKind.SolveIssue)
        {
            return null;
        }
        var issue = await client.GetIssueAsync(owner, name, job.Number, cancellationToken).ConfigureAwait(false);
        return IsClosed(issue.State.StringValue) ? new IssueClosed() : null;
    }

    private static bool IsClosed(string state) => string.Equals(state, "closed", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled job {JobId} ({Repo}) with GitHub: {Command} moved it from {From} to {To}")]
    private static partial void LogBroughtUpToDate(ILogger logger, string jobId, string repo, string command, string from, string to);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} refused the reconciled command, so it is already consistent: {Reason}")]
    private static partial void LogRefused(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reconcile job {JobId} ({Repo}); the next pass tries again")]
    private static partial void LogJobFailed(ILogger logger, string jobId, string repo, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation pass: {Checked} open jobs checked, {Updated} brought up to date, {Failed} failed")]
    private static partial void LogPassFinished(ILogger logger, int @checked, int updated, int failed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciliation pass: {Checked} open jobs checked, all consistent with GitHub")]
    private static partial void LogPassQuiet(ILogger logger, int @checked);
}
