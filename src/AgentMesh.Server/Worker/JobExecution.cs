using AgentMesh.Agents.Events;
using AgentMesh.Agents.Outcomes;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using System.Net;
using AgentMesh.GitHub.Rest;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Changes;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Pipeline;
using AgentMesh.Core.Repos;
using AgentMesh.Guardrails;
using AgentMesh.Guardrails.Audit;
using AgentMesh.Guardrails.Cost;
using AgentMesh.Guardrails.Egress;
using AgentMesh.Guardrails.ProtectedPaths;
using AgentMesh.Guardrails.Secrets;
using System.Text.Json;
using AgentMesh.Storage.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Runs one claimed job: workspace, agent, outcome. Every write to the job carries the claim's
/// lease, so if the node is presumed dead and the job rescued, this run's late writes are refused.
/// </summary>
public sealed partial class JobExecution(
    IAgentMeshStore store,
    JobChangeFeed changeFeed,
    JobActor jobs,
    RepoActor repos,
    PullRequestIndex pullRequests,
    GitHubClientProvider github,
    WorkspaceManager workspaces,
    JobWorkspaces jobWorkspaces,
    AgentRunner agents,
    IOptionsMonitor<AgentRunnerOptions> agentOptions,
    AgentSessions sessions,
    IAuthorPermissions permissions,
    INodeSecrets nodeSecrets,
    HeldWorkKeeper heldWork,
    PipelineOptions pipeline,
    WorkerOptions options,
    TimeProvider timeProvider,
    ILogger<JobExecution> logger)
{
    /// <summary>Runs the claimed job to an outcome. Never throws for the job's own failures: they become its state.</summary>
    public Task RunAsync(ClaimedJob claimed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return RunAsync(claimed.Lease, new JobAsClaimed(claimed.Job.Repo, claimed.Job.DataJson), startRecorded: () => { }, stoppingToken);
    }

    /// <summary>
    /// As <see cref="RunAsync(ClaimedJob, CancellationToken)"/>, for the run <paramref name="lease"/> holds of the
    /// job <paramref name="claimed"/> describes (the row as its claim returned it); <paramref name="startRecorded"/> is
    /// called once the job's <c>Start</c> turn is written.
    /// </summary>
    public async Task RunAsync(JobLease lease, JobAsClaimed claimed, Action startRecorded, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(startRecorded);
        var claimedData = JobActor.Deserialize(claimed.DataJson);
        // What the run needs from GitHub and git is gathered while the job's budgets and start are decided (a few
        // milliseconds of the path from the webhook to the agent), and undone if the run does not start.
        // On the thread pool: the gathering's first steps are synchronous (requests built and sent, a git process
        // spawned), and the budget check below must not wait for them.
        var gathering = Task.Run(() => GatherAsync(lease.JobId, claimed.Repo, claimedData, stoppingToken), CancellationToken.None);
        JobActorState job;
        try
        {
            if (!FinishesWithoutTheAgent(claimedData)
                && await repos.CheckBudgetsAsync(claimed.Repo, stoppingToken).ConfigureAwait(false) is { } spent)
            {
                // Admitted while there was budget, spent since (other jobs of the repo, the tenant or the node ran
                // first): the job waits for the window, and no attempt is counted.
                await DiscardAsync(gathering).ConfigureAwait(false);
                await jobs.HoldClaimAsync(lease, spent.RetryAt, spent.Message, stoppingToken).ConfigureAwait(false);
                LogHeldForBudget(logger, lease.JobId, spent.RetryAt, spent.Message);
                return;
            }
            job = await jobs.StartAsync(lease, stoppingToken).ConfigureAwait(false);
            startRecorded();
        }
        catch (JobDomainException ex)
        {
            LogStartRefused(logger, lease.JobId, ex.Message);
            await DiscardAsync(gathering).ConfigureAwait(false);
            await jobs.AbandonClaimAsync(lease, stoppingToken).ConfigureAwait(false);
            return;
        }
        catch
        {
            await DiscardAsync(gathering).ConfigureAwait(false);
            throw;
        }

        await using var log = new JobLogWriter(store.Logs, lease, options);
        Workspace? workspace = null;
        RunGuards? guards = null;
        try
        {
            log.Write("system", $"attempt {job.Attempt} of {job.MaxAttempts} on {lease.Owner}");
            var (issue, comments, repoConfig, prepared) = await gathering.ConfigureAwait(false);
            (var repository, var token, workspace) = (prepared.Repository, prepared.Token, prepared.Workspace);
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
            if (ResumesApprovedWork(job) is { } held)
            {
                // A maintainer approved work held for its protected paths: push exactly the commit they were
                // asked about, without running the agent again.
                log.Write("system", $"pushing the work of run {held.Run} held at {held.Commit[..Math.Min(12, held.Commit.Length)]}, approved by {held.ApprovedBy}");
                await log.FlushAsync().ConfigureAwait(false);
                await PushApprovedAsync(job, held, workspace, token, repository.DefaultBranch ?? "main", log, lease, stoppingToken).ConfigureAwait(false);
                return;
            }

            guards = new RunGuards(
                job,
                workspace.Path,
                CostCapFor(repoConfig, ProfileFor(repoConfig)),
                new SecretScanner(NodeSecretValues(token)),
                timeProvider);
            var mayTrigger = await MayTriggerAsync(job.Repo, repoConfig, comments, stoppingToken).ConfigureAwait(false);
            var result = await RunAgentAsync(
                job, issue, comments, workspace, lease, log, guards, mayTrigger,
                agentStarted: () => _ = jobWorkspaces.PrepareSpareInBackground(job.Repo, prepared, stoppingToken),
                stoppingToken).ConfigureAwait(false);

            // Tokens spent are a fact whoever holds the job now: recorded without the lease, so a
            // stopped or rescued run still counts against the job's totals and the budgets.
            job = await jobs.SendAsync(job.Id, new RecordUsage(ToTokenUsage(result.Usage), result.CostUsd ?? 0m), cancellationToken: stoppingToken).ConfigureAwait(false);
            await repos.RecordRunUsageAsync(job.Repo, ToTokenUsage(result.Usage).Total, result.CostUsd ?? 0m, result.Succeeded, stoppingToken).ConfigureAwait(false);
            if (log.LeaseLost || !job.IsHeldBy(lease.Fence))
            {
                // Stopped, closed, or declared lost while the agent ran: nothing to report.
                LogLeaseLost(logger, job.Id);
                return;
            }

            if (guards.CapReached is { } cap)
            {
                // Over its cost cap the run's work is not pushed: it was cut off, and finishing it would
                // mean spending past the cap.
                log.Write("system", cap.CommentText());
                await log.FlushAsync().ConfigureAwait(false);
                await FailAsync(job, lease, new PermanentFailure(cap.CommentText()), stoppingToken).ConfigureAwait(false);
                return;
            }

            var changes = await workspaces.InspectAsync(workspace, stoppingToken).ConfigureAwait(false);
            var outcome = OutcomeDecider.Decide(result, changes);
            log.Write("system", $"outcome: {outcome.WireName}: {outcome.Reason}");
            await log.FlushAsync().ConfigureAwait(false);
            await ReportAsync(job, outcome, result, workspace, token, repoConfig, guards, log, repository.DefaultBranch ?? "main", lease, stoppingToken).ConfigureAwait(false);
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
                if (guards is not null)
                {
                    await RecordAuditAsync(job.Id, workspace, guards).ConfigureAwait(false);
                }
                await RemoveWorkspaceAsync(workspace).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The issue's conversation, the repo's configuration and the worktree, read and made at once since each stands
    /// between the webhook and the agent. A worktree made when the rest failed is removed again.
    /// </summary>
    private async Task<RunInputs> GatherAsync(string jobId, string repo, JobActorState data, CancellationToken cancellationToken)
    {
        var client = await github.ForRepositoryAsync(repo, cancellationToken).ConfigureAwait(false);
        var issueNumber = data.Kind == JobKind.SolveIssue ? data.Number : pipeline.IssueNumberOf(data.PullRequest?.HeadBranch ?? "") ?? data.Number;
        workspaces.EnsureFreeDiskSpace();
        var reading = ReadConversationAsync(client, repo, issueNumber, cancellationToken);
        var preparing = jobWorkspaces.PrepareAsync(client, repo, jobId, issueNumber, cancellationToken);
        try
        {
            await Task.WhenAll(reading, preparing).ConfigureAwait(false);
        }
        catch
        {
            if (preparing.IsCompletedSuccessfully)
            {
                await RemoveWorkspaceAsync(preparing.Result.Workspace).ConfigureAwait(false);
            }
            throw;
        }
        var (issue, comments, config) = reading.Result;
        return new RunInputs(issue, comments, config, preparing.Result);
    }

    /// <summary>A run that does not start after all: its worktree goes, and a failure to gather is no failure of the job.</summary>
    private async Task DiscardAsync(Task<RunInputs> gathering)
    {
        try
        {
            var inputs = await gathering.ConfigureAwait(false);
            await RemoveWorkspaceAsync(inputs.Prepared.Workspace).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogDiscardedGathering(logger, ex.GetBaseException().Message);
        }
    }

    private sealed record RunInputs(Octokit.Issue Issue, IReadOnlyList<Octokit.IssueComment> Comments, RepoConfig Config, PreparedWorkspace Prepared);

    private async Task<(Octokit.Issue Issue, IReadOnlyList<Octokit.IssueComment> Comments, RepoConfig Config)> ReadConversationAsync(
        GitHubClient client, string repo, int issueNumber, CancellationToken cancellationToken)
    {
        var (owner, name) = RepoParts(repo);
        var issue = client.GetIssueAsync(owner, name, issueNumber, cancellationToken);
        var comments = client.ListIssueCommentsAsync(owner, name, issueNumber, cancellationToken);
        var config = repos.GetAsync(repo, cancellationToken);
        await Task.WhenAll(issue, comments, config).ConfigureAwait(false);
        return (issue.Result, comments.Result, config.Result?.Config ?? new RepoConfig());
    }

    private async Task<AgentRunResult> RunAgentAsync(
        JobActorState job,
        Octokit.Issue issue,
        IReadOnlyList<Octokit.IssueComment> comments,
        Workspace workspace,
        JobLease lease,
        JobLogWriter log,
        RunGuards guards,
        Func<string, bool> mayTrigger,
        Action agentStarted,
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
        string prompt;
        if (resume is null)
        {
            var built = JobPrompt.Build(job.Repo, issue, comments, job, pipeline.BotLogin, mayTrigger);
            LogUntrustedText(log, built.Untrusted);
            prompt = built.Text;
        }
        else
        {
            // A resumed session already knows the issue; it gets only what is new.
            prompt = JobPrompt.Continuation(job);
        }
        var profile = agentOptions.CurrentValue.Profiles[profileName];
        await using var egress = StartEgressProxy(job, profile, log);
        var request = new AgentRunRequest
        {
            Prompt = prompt,
            WorkingDirectory = workspace.Path,
            ProfileName = profileName,
            ResumeSessionId = resume,
            HomeDirectory = sessions.HomeFor(job.Id),
            SandboxReadWritePaths = [workspace.MirrorPath],
            EgressSocketPath = egress?.UnixSocketPath,
        };
        log.Write("system", resume is null ? "starting the agent" : $"resuming the agent's session {resume}");

        await using var run = agents.Start(request);
        // A quiet agent sends no events to notice cancellation with: stop it when the run is cancelled.
        await using var stopOnCancel = cancellationToken.Register(() => _ = run.StopAsync());
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchJobAsync(job.Id, lease, run, log, guards, watch.Token);
        try
        {
            // Once the agent shows life (its first event), not at its spawn: work started then (the next run's spare
            // worktree) would compete with the agent's own start for the node's cores.
            var shownLife = false;
            await foreach (var agentEvent in run.Events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (!shownLife)
                {
                    shownLife = true;
                    agentStarted();
                }
                WriteEvent(log, agentEvent, guards.Scanner);
                if (agentEvent is SessionStarted started)
                {
                    sessions.Remember(job.Id, started.SessionId);
                }
                if (guards.Observe(agentEvent) is { } reached)
                {
                    log.Write("system", $"cost cap reached: stopping the agent ({reached.CommentText()})");
                    _ = run.StopAsync();
                }
            }
            if (!shownLife)
            {
                agentStarted();
            }
            return await run.Completion.ConfigureAwait(false);
        }
        finally
        {
            await watch.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
        }
    }

    /// <summary>How long after the agent's spawn the run starts watching its job (stop, chat, a lost lease).</summary>
    private static readonly TimeSpan WatchStartDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// While the agent runs: delivers chat messages and interrupts from the job's mailbox, and stops
    /// the agent when the job is stopped or closed, or its lease is taken away.
    /// </summary>
    private async Task WatchJobAsync(string jobId, JobLease lease, AgentRun run, JobLogWriter log, RunGuards guards, CancellationToken cancellationToken)
    {
        // Ends the subscription's pending wait before the subscription is disposed: an async iterator refuses to
        // be disposed while a MoveNextAsync is under way, and that refusal would fail a run that went well.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<bool>? moveNext = null;
        try
        {
            // Its subscription (a write to the streams' pub-sub store) and its first read would compete with the
            // agent's own exec for the node's cores, just spawned; a stop or a message sent meanwhile is seen by its
            // first look (docs/performance.md, "Dispatch latency").
            await Task.Delay(WatchStartDelay, cancellationToken).ConfigureAwait(false);
            // Subscribe first, then look: a change between the two is seen on the next wake-up.
            // Its own log lines are no news to the watcher: only the job's state (stop, chat, a lost lease) is.
            var changes = changeFeed.SubscribeAsync(jobId, watching.Token)
                .Where(c => c.Kind is JobChangeKind.Job or JobChangeKind.Resync)
                .GetAsyncEnumerator(watching.Token);
            await using (changes.ConfigureAwait(false))
            {
                try
                {
                    moveNext = changes.MoveNextAsync().AsTask();
                    while (await CheckJobAsync(jobId, lease, run, log, guards, cancellationToken).ConfigureAwait(false)
                        && await moveNext.ConfigureAwait(false))
                    {
                        moveNext = changes.MoveNextAsync().AsTask();
                    }
                }
                finally
                {
                    await watching.CancelAsync().ConfigureAwait(false);
                    await WaitEndedAsync(moveNext).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task WaitEndedAsync(Task<bool>? moveNext)
    {
        if (moveNext is null)
        {
            return;
        }
        try
        {
            await moveNext.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The end asked for.
        }
    }

    /// <summary>Returns false once the agent was stopped.</summary>
    private async Task<bool> CheckJobAsync(string jobId, JobLease lease, AgentRun run, JobLogWriter log, RunGuards guards, CancellationToken cancellationToken)
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
            guards.RecordPerson(message.Author, AuditRole.Chatted);
            delivered.Add(message.Id);
        }
        if (delivered.Count > 0)
        {
            await jobs.SendAsync(jobId, new MarkMessagesDelivered(delivered), lease, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private async Task ReportAsync(
        JobActorState job,
        AgentOutcome outcome,
        AgentRunResult result,
        Workspace workspace,
        string token,
        RepoConfig repoConfig,
        RunGuards guards,
        JobLogWriter log,
        string baseBranch,
        JobLease lease,
        CancellationToken cancellationToken)
    {
        switch (outcome.Kind)
        {
            case AgentOutcomeKind.PrReady:
                await workspaces.CommitLeftoversAsync(workspace, $"AgentMesh: work on #{job.Number}", cancellationToken).ConfigureAwait(false);
                if (!await PrePushAsync(job, outcome.Summary ?? "", workspace, repoConfig, guards, log, lease, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
                await workspaces.PushAsync(workspace, token, cancellationToken).ConfigureAwait(false);
                if (job.State == JobState.Fixing)
                {
                    await jobs.SendAsync(job.Id, new FixPushed(), lease, JobEffectPlan.FixPushed, cancellationToken).ConfigureAwait(false);
                    return;
                }
                await OpenPullRequestAsync(job, outcome.Summary ?? "", workspace, baseBranch, lease, cancellationToken).ConfigureAwait(false);
                return;

            case AgentOutcomeKind.NeedsClarification:
                await jobs.SendAsync(job.Id, new ReportNeedsClarification(outcome.Questions), lease, JobEffectPlan.ClarificationAsked, cancellationToken).ConfigureAwait(false);
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
        await jobs.SendAsync(job.Id, new PrOpened(pr.Number, pr.HtmlUrl ?? "", workspace.Branch), lease, JobEffectPlan.PullRequestOpened, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The guardrails between "the agent finished" and "push" (docs/security.md): a credential in the diff or
    /// the commit messages fails the job for good, naming file and line, never the value; a change to a
    /// protected path holds the work (in the node's bare repository and, as a bundle, in the store) and asks for a
    /// maintainer's approval.
    /// Returns true when the work may be pushed.
    /// </summary>
    private async Task<bool> PrePushAsync(JobActorState job, string summary, Workspace workspace, RepoConfig repoConfig, RunGuards guards, JobLogWriter log, JobLease lease, CancellationToken cancellationToken)
    {
        var git = new Git();
        var range = $"{workspace.BaseCommit}..HEAD";
        var diff = await git.RunAsync(workspace.Path, ["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", range], cancellationToken: cancellationToken).ConfigureAwait(false);
        var numstat = await git.RunAsync(workspace.Path, ["-c", "core.quotePath=false", "diff", "--numstat", range], cancellationToken: cancellationToken).ConfigureAwait(false);
        var messages = await git.RunAsync(workspace.Path, ["log", "--format=%B%x00", range], cancellationToken: cancellationToken).ConfigureAwait(false);
        var head = (await git.RunAsync(workspace.Path, ["rev-parse", "HEAD"], cancellationToken: cancellationToken).ConfigureAwait(false)).Trim();
        guards.Audit.RecordDiffStats(numstat);
        var check = new PrePushCheck(
            new ProtectedPathMatcher(repoConfig.ProtectedPaths),
            guards.Scanner,
            repoConfig.TriggerMention ?? ApprovalCommandParser.DefaultMention);
        PrePushDecision decision;
        try
        {
            decision = check.Check(diff, NumstatParser.Parse(numstat), messages.Split('\0', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), approved: false);
            // The agent's summary becomes the pull request's description: published like the branch.
            if (guards.Scanner.ScanText("pull request description", summary) is { Count: > 0 } inSummary)
            {
                var findings = decision.Secrets.Concat(inSummary).ToList();
                decision = decision with
                {
                    Verdict = PrePushVerdict.Blocked,
                    Secrets = findings,
                    Comment = new SecretScanResult(findings, decision.UnscannedBinaryFiles).BlockedPushComment(),
                };
            }
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // The scan's backstop fired on input no rule was written for: fail closed.
            throw new JobConfigurationException("the secret scan could not finish on this run's changes, so they were not pushed.");
        }
        foreach (var binary in decision.UnscannedBinaryFiles)
        {
            log.Write("guard", $"binary file not scanned for secrets: {binary}");
        }
        switch (decision.Verdict)
        {
            case PrePushVerdict.Blocked:
                foreach (var finding in decision.Secrets)
                {
                    log.Write("guard", $"push blocked: {finding}");
                }
                await log.FlushAsync().ConfigureAwait(false);
                await FailAsync(job, lease, new PermanentFailure(decision.Comment!), cancellationToken).ConfigureAwait(false);
                return false;

            case PrePushVerdict.NeedsApproval:
                foreach (var hit in decision.ProtectedPaths)
                {
                    log.Write("guard", $"protected path changed: {hit.Path} (pattern {hit.Pattern}); waiting for approval");
                }
                // Kept before approval is asked for, in this node's repository and in the store: whichever worker
                // takes the approved job can push exactly this commit.
                await heldWork.HoldAsync(job.Id, job.Run, workspace, head, cancellationToken).ConfigureAwait(false);
                log.Write("guard", $"held commit {head[..Math.Min(12, head.Length)]} kept for approval");
                await log.FlushAsync().ConfigureAwait(false);
                var paths = decision.ProtectedPaths.Select(h => h.Path).Distinct(StringComparer.Ordinal).ToList();
                var comment = decision.Comment!;
                await jobs.SendAsync(job.Id, new RequestApproval(head, summary, paths), lease, JobEffectPlan.ApprovalRequested, cancellationToken, note: comment).ConfigureAwait(false);
                return false;

            default:
                return true;
        }
    }

    /// <summary>Pushes work a maintainer approved, then opens the pull request (or reports the fix round pushed).</summary>
    private async Task PushApprovedAsync(JobActorState job, HeldWork held, Workspace workspace, string token, string baseBranch, JobLogWriter log, JobLease lease, CancellationToken cancellationToken)
    {
        // The node that held the work may not be this one: the commit comes from the store when it is not here.
        var from = await heldWork.RestoreAsync(job.Id, held, workspace, cancellationToken).ConfigureAwait(false);
        log.Write("system", $"the approved commit {held.Commit[..Math.Min(12, held.Commit.Length)]} is from {from}");
        await log.FlushAsync().ConfigureAwait(false);
        await new Git().RunAsync(workspace.Path, ["reset", "--quiet", "--hard", held.Commit], cancellationToken: cancellationToken).ConfigureAwait(false);
        await workspaces.PushAsync(workspace, token, cancellationToken).ConfigureAwait(false);
        // Pushed: a later attempt finds the commit on the remote branch, so the held copies can go.
        await heldWork.ReleaseAsync(job.Id, workspace, cancellationToken).ConfigureAwait(false);
        if (job.State == JobState.Fixing || job.Kind == JobKind.FixPullRequest)
        {
            await jobs.SendAsync(job.Id, new FixPushed(), lease, JobEffectPlan.FixPushed, cancellationToken).ConfigureAwait(false);
            return;
        }
        await OpenPullRequestAsync(job, held.Summary, workspace, baseBranch, lease, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A run that only pushes approved work, or opens the pull request for work an earlier attempt of this run
    /// pushed, spends no tokens: a spent budget does not hold it back. (Should the pushed branch have vanished,
    /// the agent runs after all; admission checked the budgets for it.)
    /// </summary>
    private static bool FinishesWithoutTheAgent(JobActorState job) =>
        ResumesApprovedWork(job) is not null
        || job is { Kind: JobKind.SolveIssue, Pushed: { } pushed } && pushed.Run == job.Run;

    private static HeldWork? ResumesApprovedWork(JobActorState job) =>
        job.Held is { } held && held.IsApprovedFor(job.Run, job.State == JobState.Fixing ? job.FixRounds : 0)
            ? held
            : null;

    /// <summary>The profile a run of this repo uses, if the node has it (a missing one fails the run later, by name).</summary>
    private AgentProfile? ProfileFor(RepoConfig repoConfig) =>
        agentOptions.CurrentValue.Profiles.TryGetValue(repoConfig.AgentProfile ?? agentOptions.CurrentValue.DefaultProfile, out var profile) ? profile : null;

    /// <summary>The repo's and the profile's caps together: each measure's lower limit applies.</summary>
    public static RunCostCap CostCapFor(RepoConfig repoConfig, AgentProfile? profile) =>
        new(Lower(repoConfig.MaxRunCostUsd, profile?.MaxRunCostUsd), Lower(repoConfig.MaxRunTokens, profile?.MaxRunTokens));

    private static T? Lower<T>(T? a, T? b) where T : struct, IComparable<T> =>
        a is { } x && b is { } y ? (x.CompareTo(y) <= 0 ? x : y) : a ?? b;

    /// <summary>The secrets this node could leak through a push: its git token and every secret a profile hands an agent.</summary>
    private IEnumerable<string?> NodeSecretValues(string token) =>
        [token, .. agentOptions.CurrentValue.Profiles.Values.SelectMany(p => p.Secrets).Distinct(StringComparer.Ordinal).Select(nodeSecrets.Find)];

    /// <summary>
    /// Who may trigger work on the repository, asked once per comment author: the repo's allowed users, or
    /// (none listed) write permission — the rule admission uses. AgentMesh itself never counts.
    /// </summary>
    private async Task<Func<string, bool>> MayTriggerAsync(string repo, RepoConfig config, IReadOnlyList<Octokit.IssueComment> comments, CancellationToken cancellationToken)
    {
        var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var authors = comments.Select(c => c.User?.Login).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(login => !string.Equals(login, pipeline.BotLogin, StringComparison.OrdinalIgnoreCase));
        foreach (var login in authors)
        {
            var may = config.AllowedUsers.Count > 0
                ? config.AllowedUsers.Contains(login, StringComparer.OrdinalIgnoreCase)
                : await permissions.CanWriteAsync(repo, login, cancellationToken).ConfigureAwait(false);
            if (may)
            {
                allowed.Add(login);
            }
        }
        return allowed.Contains;
    }

    private static void LogUntrustedText(JobLogWriter log, AgentMesh.Guardrails.UntrustedText.UntrustedPrompt untrusted)
    {
        if (untrusted.LeftOut.Count > 0)
        {
            log.Write("guard", $"left out of the prompt: {untrusted.LeftOut.Count} comment(s) by {string.Join(", ", untrusted.LeftOut.Select(p => p.Author).Distinct(StringComparer.OrdinalIgnoreCase))}, who may not trigger work here");
        }
        if (untrusted.Removed.Count > 0)
        {
            log.Write("guard", $"hidden text removed from the prompt: {string.Join(", ", untrusted.Removed.OrderBy(r => r.Key).Select(r => $"{r.Key} ×{r.Value}"))}");
        }
    }

    /// <summary>
    /// A sandboxed profile with an egress allowlist gets a proxy of its own for the run, on a unix socket the
    /// sandbox mounts; every decision goes to the job log. Null when the profile has no allowlist.
    /// </summary>
    private EgressProxy? StartEgressProxy(JobActorState job, AgentProfile profile, JobLogWriter log)
    {
        if (!profile.Sandbox || profile.EgressAllowlist.Count == 0)
        {
            return null;
        }
        // A unix socket's path is limited to 107 bytes: a short name under the temp folder, unique per run.
        var socket = Path.Combine(Path.GetTempPath(), $"am-egress-{Guid.NewGuid():N}.sock");
        var proxy = EgressProxy.Start(
            new EgressProxyOptions { Allowlist = new EgressAllowlist([.. profile.EgressAllowlist]), ListenOnLoopback = false, UnixSocketPath = socket },
            e => log.Write("egress", e.ToLogLine()),
            timeProvider);
        log.Write("system", $"egress allowed only to: {string.Join(", ", profile.EgressAllowlist)}");
        return proxy;
    }

    /// <summary>
    /// Stores the run's audit (tool calls, files changed, people) as a <c>run_audit</c> event in the job's history:
    /// a fact about the run, appended without the lease like usage, so a stopped run is audited too.
    /// </summary>
    private async Task RecordAuditAsync(string jobId, Workspace workspace, RunGuards guards)
    {
        try
        {
            if (!guards.Audit.Build().FilesChanged.Any())
            {
                var numstat = await new Git().RunAsync(workspace.Path, ["-c", "core.quotePath=false", "diff", "--numstat", $"{workspace.BaseCommit}..HEAD"]).ConfigureAwait(false);
                guards.Audit.RecordDiffStats(numstat);
            }
            var data = SerializeAudit(guards.Audit.Build());
            await jobs.RecordEventAsync(jobId, RunAuditEventType, data, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAuditNotStored(logger, ex, jobId);
        }
    }

    /// <summary>The event type of a run's audit in the job's history.</summary>
    public const string RunAuditEventType = RunAuditJson.EventType;

    /// <summary>A run's audit as a <see cref="RunAuditEventType"/> event stores it.</summary>
    public static string SerializeAudit(RunAudit audit) => RunAuditJson.Serialize(audit);

    /// <summary>Reads a stored <see cref="RunAuditEventType"/> event.</summary>
    public static RunAudit ReadAudit(string dataJson) => RunAuditJson.Read(dataJson);

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
            await jobs.SendAsync(job.Id, failure, lease, JobEffectPlan.Failed, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Writes an agent event to the job log. What the agent wrote, ran and read is redacted by the secret scanner
    /// first: the log is shown on the dashboard, and a credential the agent handled must not be published there.
    /// </summary>
    private static void WriteEvent(JobLogWriter log, AgentEvent agentEvent, SecretScanner redactor)
    {
        switch (agentEvent)
        {
            case AssistantText text:
                foreach (var line in redactor.Redact(text.Text).Split('\n'))
                {
                    log.Write("agent", line);
                }
                break;
            case ToolCall call:
                log.Write("tool", $"{call.Name} {Truncate(redactor.Redact(call.InputJson), 500)}");
                break;
            case ToolResult toolResult:
                log.Write(toolResult.IsError ? "tool_error" : "tool_result", Truncate(redactor.Redact(toolResult.Output), 2000));
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
                log.Write(raw.FromStderr ? "stderr" : "stdout", redactor.Redact(raw.Text));
                break;
            case FinalResult final:
                log.Write("result", Truncate(redactor.Redact(final.Text), 4000));
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "A run that did not start left its gathering: {Reason}")]
    private static partial void LogDiscardedGathering(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} waits until {Until} before it runs: {Reason}")]
    private static partial void LogHeldForBudget(ILogger logger, string jobId, DateTimeOffset until, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the claim was refused: {Reason}")]
    private static partial void LogStartRefused(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: this worker's lease was taken away; its run ends without writing")]
    private static partial void LogLeaseLost(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the run failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the run's audit could not be stored")]
    private static partial void LogAuditNotStored(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The worktree {Path} could not be removed")]
    private static partial void LogWorkspaceNotRemoved(ILogger logger, Exception exception, string path);
}
