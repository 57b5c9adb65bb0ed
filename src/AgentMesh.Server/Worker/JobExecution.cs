using AgentMesh.Agents.Events;
using AgentMesh.Agents.Outcomes;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using System.Net;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.Actors;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Pipeline;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Runs one claimed job: workspace, agent, outcome. Every write to the job carries the claim's
/// lease, so if the node is presumed dead and the job rescued, this run's late writes are refused.
/// </summary>
public sealed partial class JobExecution(
    IAgentMeshStore store,
    JobActor jobs,
    RepoActor repos,
    PullRequestIndex pullRequests,
    GitHubClientProvider github,
    WorkspaceManager workspaces,
    AgentRunner agents,
    IOptionsMonitor<AgentRunnerOptions> agentOptions,
    AgentSessions sessions,
    JobEffects effects,
    PipelineOptions pipeline,
    WorkerOptions options,
    TimeProvider timeProvider,
    ILogger<JobExecution> logger,
    LiveLogs.LiveLogPublisher? live = null)
{
    /// <summary>Runs the claimed job to an outcome. Never throws for the job's own failures: they become its state.</summary>
    public async Task RunAsync(ClaimedJob claimed, TimeSpan leaseDuration, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var lease = claimed.Lease;
        JobActorState job;
        try
        {
            job = await jobs.SendAsync(lease.JobId, new Start(lease.Owner, lease.Fence), lease, cancellationToken: stoppingToken).ConfigureAwait(false);
        }
        catch (JobDomainException ex)
        {
            LogStartRefused(logger, lease.JobId, ex.Message);
            await jobs.AbandonClaimAsync(lease, stoppingToken).ConfigureAwait(false);
            return;
        }

        using var runCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var renewal = new LeaseRenewal(store.Jobs, lease, leaseDuration, timeProvider, runCancellation);
        await using var log = new JobLogWriter(store.Logs, lease, options, timeProvider, live);
        Workspace? workspace = null;
        try
        {
            log.Write("system", $"attempt {job.Attempt} of {job.MaxAttempts} on {lease.Owner}");
            var (owner, name) = RepoParts(job.Repo);
            var client = await github.ForRepositoryAsync(job.Repo, runCancellation.Token).ConfigureAwait(false);
            var repository = await client.GetRepositoryAsync(owner, name, runCancellation.Token).ConfigureAwait(false);
            var issueNumber = job.Kind == JobKind.SolveIssue ? job.Number : pipeline.IssueNumberOf(job.PullRequest?.HeadBranch ?? "") ?? job.Number;
            var issue = await client.GetIssueAsync(owner, name, issueNumber, runCancellation.Token).ConfigureAwait(false);
            var comments = await client.ListIssueCommentsAsync(owner, name, issueNumber, runCancellation.Token).ConfigureAwait(false);
            var token = await github.GetGitTokenForRepositoryAsync(job.Repo, runCancellation.Token).ConfigureAwait(false);

            workspaces.EnsureFreeDiskSpace();
            workspace = await workspaces.PrepareAsync(
                new WorkspaceRequest(job.Repo, github.CloneUrl(job.Repo).ToString(), repository.DefaultBranch ?? "main", issueNumber, job.Id),
                token,
                runCancellation.Token).ConfigureAwait(false);
            log.Write("system", $"worktree {workspace.Path} on {workspace.Branch}{(workspace.ReusedRemoteBranch ? " (continuing the pushed branch)" : "")}");
            if (ResumesAtThePullRequest(job, workspace) is { } pushed)
            {
                // An earlier attempt of this run pushed its work and failed after (e.g. the PR's
                // response was lost): resume at the step that failed, never run the agent again.
                log.Write("system", $"the work of run {pushed.Run} was pushed at {pushed.At:u}; resuming at the pull request");
                await log.FlushAsync().ConfigureAwait(false);
                await OpenPullRequestAsync(job, pushed.Summary, workspace, repository.DefaultBranch ?? "main", lease, stoppingToken).ConfigureAwait(false);
                return;
            }

            var result = await RunAgentAsync(job, issue, comments, workspace, lease, log, runCancellation.Token).ConfigureAwait(false);

            // Tokens spent are a fact whoever holds the job now: recorded without the lease, so a
            // stopped or rescued run still counts against the job's totals and the budgets.
            job = await jobs.SendAsync(job.Id, new RecordUsage(ToTokenUsage(result.Usage), result.CostUsd ?? 0m), cancellationToken: stoppingToken).ConfigureAwait(false);
            await repos.RecordUsageAsync(job.Repo, ToTokenUsage(result.Usage).Total, stoppingToken).ConfigureAwait(false);
            if (renewal.LeaseLost || log.LeaseLost || !job.IsHeldBy(lease.Fence))
            {
                // Stopped, closed or rescued while the agent ran: nothing to report.
                LogLeaseLost(logger, job.Id);
                return;
            }

            var changes = await workspaces.InspectAsync(workspace, stoppingToken).ConfigureAwait(false);
            var outcome = OutcomeDecider.Decide(result, changes);
            log.Write("system", $"outcome: {outcome.WireName}: {outcome.Reason}");
            await log.FlushAsync().ConfigureAwait(false);
            await ReportAsync(job, outcome, result, workspace, token, repository.DefaultBranch ?? "main", lease, stoppingToken).ConfigureAwait(false);
        }
        catch (StaleLeaseException)
        {
            LogLeaseLost(logger, job.Id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the worker service hands the job back.
            throw;
        }
        catch (OperationCanceledException) when (renewal.LeaseLost)
        {
            LogLeaseLost(logger, job.Id);
        }
        catch (Octokit.ApiException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound)
        {
            // Bad credentials or a repository the identity cannot see: configuration, not bad luck.
            var reason = $"GitHub refused the node's identity ({(int)ex.StatusCode}): {ex.Message}";
            log.Write("system", $"error: {reason}");
            await log.FlushAsync().ConfigureAwait(false);
            await FailAsync(job, lease, new PermanentFailure(reason), stoppingToken).ConfigureAwait(false);
        }
        catch (JobConfigurationException ex)
        {
            log.Write("system", $"error: {ex.Message}");
            await log.FlushAsync().ConfigureAwait(false);
            await FailAsync(job, lease, new PermanentFailure(ex.Message), stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // GitHub, git or disk trouble: worth another attempt, unless this was the last.
            LogRunFailed(logger, ex, job.Id);
            log.Write("system", $"error: {ex.Message}");
            await log.FlushAsync().ConfigureAwait(false);
            await FailAsync(job, lease, new TransientFailure(ex.Message), stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            if (workspace is not null)
            {
                await RemoveWorkspaceAsync(workspace).ConfigureAwait(false);
            }
        }
    }

    private async Task<AgentRunResult> RunAgentAsync(
        JobActorState job,
        Octokit.Issue issue,
        IReadOnlyList<Octokit.IssueComment> comments,
        Workspace workspace,
        JobLease lease,
        JobLogWriter log,
        CancellationToken cancellationToken)
    {
        var repo = await repos.GetAsync(job.Repo, cancellationToken).ConfigureAwait(false);
        var profileName = repo?.Config.AgentProfile ?? agentOptions.CurrentValue.DefaultProfile;
        if (!agentOptions.CurrentValue.Profiles.ContainsKey(profileName))
        {
            throw new JobConfigurationException(
                $"configuration: {job.Repo} asks for the agent profile '{profileName}', which this node does not have (it has: {string.Join(", ", agentOptions.CurrentValue.Profiles.Keys)}).");
        }
        // Only a continued conversation resumes: an answered question or a fix round. A retry after a
        // failure or a lost node starts afresh from the issue, in a fresh worktree.
        var continuing = job.State == JobState.Fixing || job.Clarification?.Answer is not null;
        var resume = continuing ? sessions.Find(job.Id) : null;
        var request = new AgentRunRequest
        {
            // A resumed session already knows the issue; it gets only what is new.
            Prompt = resume is null ? JobPrompt.Build(job.Repo, issue, comments, job, pipeline.BotLogin) : JobPrompt.Continuation(job),
            WorkingDirectory = workspace.Path,
            ProfileName = profileName,
            ResumeSessionId = resume,
            HomeDirectory = sessions.HomeFor(job.Id),
            SandboxReadWritePaths = [workspace.MirrorPath],
        };
        log.Write("system", resume is null ? "starting the agent" : $"resuming the agent's session {resume}");

        await using var run = agents.Start(request);
        // A quiet agent sends no events to notice cancellation with: stop it when the run is cancelled.
        await using var stopOnCancel = cancellationToken.Register(() => _ = run.StopAsync());
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchJobAsync(job.Id, lease, run, log, watch.Token);
        try
        {
            await foreach (var agentEvent in run.Events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                WriteEvent(log, agentEvent);
                if (agentEvent is SessionStarted started)
                {
                    sessions.Remember(job.Id, started.SessionId);
                }
            }
            return await run.Completion.ConfigureAwait(false);
        }
        finally
        {
            await watch.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// While the agent runs: delivers chat messages and interrupts from the job's mailbox, and stops
    /// the agent when the job is stopped or closed, or its lease is taken away.
    /// </summary>
    private async Task WatchJobAsync(string jobId, JobLease lease, AgentRun run, JobLogWriter log, CancellationToken cancellationToken)
    {
        try
        {
            // Subscribe first, then look: a change between the two is seen on the next wake-up.
            var changes = store.Feed.SubscribeAsync(jobId, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (changes.ConfigureAwait(false))
            {
                var moveNext = changes.MoveNextAsync().AsTask();
                while (true)
                {
                    if (!await CheckJobAsync(jobId, lease, run, log, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                    if (!await moveNext.ConfigureAwait(false))
                    {
                        return;
                    }
                    moveNext = changes.MoveNextAsync().AsTask();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Returns false once the agent was stopped.</summary>
    private async Task<bool> CheckJobAsync(string jobId, JobLease lease, AgentRun run, JobLogWriter log, CancellationToken cancellationToken)
    {
        var current = await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (current is not { } found)
        {
            log.Write("system", "the job was deleted: stopping the agent");
            await run.StopAsync().ConfigureAwait(false);
            return false;
        }
        if (found.Record.Fence != lease.Fence || found.State.State is not (JobState.Running or JobState.Fixing))
        {
            log.Write("system", $"the job is {found.State.State.ToWire()} and no longer this worker's: stopping the agent");
            await run.StopAsync().ConfigureAwait(false);
            return false;
        }

        var pending = found.State.Mailbox.Where(m => !m.Delivered).ToList();
        if (pending.Count == 0)
        {
            return true;
        }
        var delivered = new List<long>();
        foreach (var message in pending)
        {
            var sent = message.Kind == ChatMessageKind.Interrupt
                ? await run.InterruptAsync(cancellationToken).ConfigureAwait(false) && await run.SendMessageAsync(message.Text, cancellationToken).ConfigureAwait(false)
                : await run.SendMessageAsync(message.Text, cancellationToken).ConfigureAwait(false);
            if (!sent)
            {
                break;
            }
            log.Write("chat", $"{message.Author}: {message.Text}");
            delivered.Add(message.Id);
        }
        if (delivered.Count > 0)
        {
            await jobs.SendAsync(jobId, new MarkMessagesDelivered(delivered), lease, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private async Task ReportAsync(JobActorState job, AgentOutcome outcome, AgentRunResult result, Workspace workspace, string token, string baseBranch, JobLease lease, CancellationToken cancellationToken)
    {
        switch (outcome.Kind)
        {
            case AgentOutcomeKind.PrReady:
                await workspaces.CommitLeftoversAsync(workspace, $"AgentMesh: work on #{job.Number}", cancellationToken).ConfigureAwait(false);
                await workspaces.PushAsync(workspace, token, cancellationToken).ConfigureAwait(false);
                if (job.State == JobState.Fixing)
                {
                    await jobs.SendAsync(job.Id, new FixPushed(), lease, effects.FixPushed, cancellationToken).ConfigureAwait(false);
                    return;
                }
                await OpenPullRequestAsync(job, outcome.Summary ?? "", workspace, baseBranch, lease, cancellationToken).ConfigureAwait(false);
                return;

            case AgentOutcomeKind.NeedsClarification:
                await jobs.SendAsync(job.Id, new ReportNeedsClarification(outcome.Questions), lease, effects.ClarificationAsked, cancellationToken).ConfigureAwait(false);
                return;

            default:
                var failure = FailureClassifier.Classify(result) == ErrorClass.Transient
                    ? (JobCommand)new TransientFailure(outcome.Reason)
                    : new PermanentFailure(outcome.Reason);
                await FailAsync(job, lease, failure, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async Task OpenPullRequestAsync(JobActorState job, string summary, Workspace workspace, string baseBranch, JobLease lease, CancellationToken cancellationToken)
    {
        job = await jobs.SendAsync(job.Id, new ReportPrReady(summary), lease, cancellationToken: cancellationToken).ConfigureAwait(false);
        var (owner, name) = RepoParts(job.Repo);
        var client = await github.ForRepositoryAsync(job.Repo, cancellationToken).ConfigureAwait(false);
        var issue = await client.GetIssueAsync(owner, name, job.Number, cancellationToken).ConfigureAwait(false);
        var changes = await workspaces.InspectAsync(workspace, cancellationToken).ConfigureAwait(false);
        var changedFiles = await ChangedFilesAsync(workspace, cancellationToken).ConfigureAwait(false);
        var body = PullRequestText.Body(job, summary, changes, changedFiles);
        // Looks for an open PR on the branch first: a retried job never opens a second one.
        var ensured = await client.EnsurePullRequestAsync(owner, name, owner, new Octokit.NewPullRequest(issue.Title, workspace.Branch, baseBranch) { Body = body }, cancellationToken).ConfigureAwait(false);
        var pr = ensured.PullRequest;
        await pullRequests.RecordAsync(job.Repo, pr.Number, job.Id, cancellationToken).ConfigureAwait(false);
        await jobs.SendAsync(job.Id, new PrOpened(pr.Number, pr.HtmlUrl ?? "", workspace.Branch), lease, effects.PullRequestOpened, cancellationToken).ConfigureAwait(false);
    }

    private static PushedWork? ResumesAtThePullRequest(JobActorState job, Workspace workspace) =>
        job is { State: JobState.Running, Kind: JobKind.SolveIssue, Pushed: { } pushed } && pushed.Run == job.Run && workspace.ReusedRemoteBranch
            ? pushed
            : null;

    private static async Task<IReadOnlyList<string>> ChangedFilesAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var output = await new Git().RunAsync(workspace.Path, ["diff", "--name-only", workspace.BaseCommit, "HEAD"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private async Task FailAsync(JobActorState job, JobLease lease, JobCommand failure, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.SendAsync(job.Id, failure, lease, effects.Failed, cancellationToken).ConfigureAwait(false);
        }
        catch (StaleLeaseException)
        {
            LogLeaseLost(logger, job.Id);
        }
    }

    private async Task RemoveWorkspaceAsync(Workspace workspace)
    {
        try
        {
            await workspaces.RemoveAsync(workspace, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or GitCommandException or InvalidOperationException)
        {
            LogWorkspaceNotRemoved(logger, ex, workspace.Path);
        }
    }

    private static void WriteEvent(JobLogWriter log, AgentEvent agentEvent)
    {
        switch (agentEvent)
        {
            case AssistantText text:
                foreach (var line in text.Text.Split('\n'))
                {
                    log.Write("agent", line);
                }
                break;
            case ToolCall call:
                log.Write("tool", $"{call.Name} {Truncate(call.InputJson, 500)}");
                break;
            case ToolResult toolResult:
                log.Write(toolResult.IsError ? "tool_error" : "tool_result", Truncate(toolResult.Output, 2000));
                break;
            case UsageReported usage:
                log.Write("usage", $"input {usage.Usage.InputTokens}, output {usage.Usage.OutputTokens}, cache read {usage.Usage.CacheReadTokens}, cache write {usage.Usage.CacheWriteTokens}");
                break;
            case CostReported cost:
                log.Write("usage", $"cost ${cost.Usd:0.0000}");
                break;
            case AgentFailed failed:
                log.Write("error", $"{failed.Kind}: {failed.Message}");
                break;
            case FallbackStarted fallback:
                log.Write("system", $"profile {fallback.FromProfile} failed ({fallback.Reason}); falling back to {fallback.ToProfile}");
                break;
            case RawOutput raw:
                log.Write(raw.FromStderr ? "stderr" : "stdout", raw.Text);
                break;
            case FinalResult final:
                log.Write("result", Truncate(final.Text, 4000));
                break;
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static TokenUsage ToTokenUsage(AgentUsage usage) =>
        new(usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens);

    internal static (string Owner, string Name) RepoParts(string repo)
    {
        var slash = repo.IndexOf('/', StringComparison.Ordinal);
        return (repo[..slash], repo[(slash + 1)..]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the claim was refused: {Reason}")]
    private static partial void LogStartRefused(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: this worker's lease was taken away; its run ends without writing")]
    private static partial void LogLeaseLost(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the run failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The worktree {Path} could not be removed")]
    private static partial void LogWorkspaceNotRemoved(ILogger logger, Exception exception, string path);
}
