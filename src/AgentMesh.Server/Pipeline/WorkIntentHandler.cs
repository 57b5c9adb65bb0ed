using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Repos;
using AgentMesh.Guardrails.ProtectedPaths;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Tenants;
using AgentMesh.Grains.Abstractions.Tenants;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Pipeline;

/// <summary>
/// Acts on a <see cref="WorkIntent"/>: asks the repo actor whether it becomes work, and sends the
/// job actor the command it means. Every step is idempotent, so a delivery processed twice (its
/// node died after acting, before marking it processed) changes nothing the second time: jobs are
/// found by natural key, and repeated commands are no-ops or refused by the state machine.
/// </summary>
public sealed partial class WorkIntentHandler(
    IAgentMeshStore store,
    RepoActor repos,
    JobActor jobs,
    PullRequestIndex pullRequests,
    IAuthorPermissions permissions,
    TenantService tenants,
    PipelineOptions options,
    ILogger<WorkIntentHandler> logger)
{
    /// <summary>The intent with its repo spelled as it was configured (<see cref="RepoActor.ConfiguredNameAsync"/>).</summary>
    private async Task<WorkIntent> UnderConfiguredNameAsync(WorkIntent intent, CancellationToken cancellationToken)
    {
        var configured = await repos.ConfiguredNameAsync(intent.Repo, cancellationToken).ConfigureAwait(false);
        if (string.Equals(configured, intent.Repo, StringComparison.Ordinal))
        {
            return intent;
        }
        return intent is WorkIntent.IssueComment { AlsoStartWork: { } start } comment
            ? comment with { Repo = configured, AlsoStartWork = start with { Repo = configured } }
            : intent with { Repo = configured };
    }

    /// <summary>Handles the intent and returns what happened, for the log.</summary>
    public async Task<string> HandleAsync(WorkIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        intent = await UnderConfiguredNameAsync(intent, cancellationToken).ConfigureAwait(false);
        try
        {
            return intent switch
            {
                WorkIntent.StartWork start => await StartWorkAsync(start, cancellationToken).ConfigureAwait(false),
                WorkIntent.IssueComment comment => await IssueCommentAsync(comment, cancellationToken).ConfigureAwait(false),
                WorkIntent.Feedback feedback => await FeedbackAsync(feedback, cancellationToken).ConfigureAwait(false),
                WorkIntent.PullRequestClosed closed => await PullRequestClosedAsync(closed, cancellationToken).ConfigureAwait(false),
                WorkIntent.IssueClosed closed => await IssueClosedAsync(closed, cancellationToken).ConfigureAwait(false),
                WorkIntent.InstallationGranted granted => Outcome(
                    granted.Account,
                    await tenants.AddInstallationAsync(granted.Account, granted.InstallationId, granted.Repos, cancellationToken).ConfigureAwait(false),
                    $"installation {granted.InstallationId} recorded{(granted.Repos.Count > 0 ? $" with {string.Join(", ", granted.Repos)}" : "")}"),
                WorkIntent.InstallationDeleted deleted => Outcome(
                    deleted.Account,
                    await tenants.RemoveInstallationAsync(deleted.Account, deleted.InstallationId, cancellationToken).ConfigureAwait(false),
                    $"installation {deleted.InstallationId} and its repos removed"),
                WorkIntent.InstallationReposRevoked revoked => Outcome(
                    revoked.Account,
                    await tenants.RemoveInstallationReposAsync(revoked.Account, revoked.InstallationId, revoked.Repos, cancellationToken).ConfigureAwait(false),
                    $"installation {revoked.InstallationId} no longer grants {string.Join(", ", revoked.Repos)}"),
                WorkIntent.Ignore ignore => $"ignored: {ignore.Reason}",
                _ => throw new ArgumentException($"Unknown intent {intent.GetType().Name}.", nameof(intent)),
            };
        }
        catch (JobDomainException ex)
        {
            // The state machine refused: e.g. a reply for a job that no longer waits. Not an error of the delivery.
            LogRefused(logger, intent.Repo, ex.Message);
            return $"refused: {ex.Message}";
        }
    }

    /// <summary>What an installation event did to its account's tenant; a refusal (no such tenant) is not an error of the delivery.</summary>
    private static string Outcome(string account, TenantChange change, string done) =>
        change.Done ? $"tenant {change.State!.Account}: {done}" : $"not recorded for {account}: {change.Error}";

    private async Task<string> StartWorkAsync(WorkIntent.StartWork start, CancellationToken cancellationToken)
    {
        // Read while the repo, the author and the budgets are asked about: on PostgreSQL a round trip of the
        // path from the webhook to the agent.
        var finding = store.Jobs.FindByNaturalKeyAsync(JobActor.NaturalKey(start.Repo, start.IssueNumber, JobKind.SolveIssue), cancellationToken);
        var repo = await repos.GetAsync(start.Repo, cancellationToken).ConfigureAwait(false);
        if (repo is null)
        {
            // Its answer is not needed; awaited so a failed read is not left unobserved.
            await ((Task)finding).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return $"not admitted: {start.Repo} is not configured in AgentMesh";
        }
        var canWrite = repo.Config.AllowedUsers.Count == 0
            && !start.Facts.IsBotOwnComment
            && await permissions.CanWriteAsync(start.Repo, start.Facts.Author, cancellationToken).ConfigureAwait(false);
        var decision = await repos.AdmitAsync(start.Repo, start.Facts with { AuthorHasWritePermission = canWrite }, cancellationToken).ConfigureAwait(false);

        if (decision is AdmissionDecision.Reject reject)
        {
            await ((Task)finding).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await RecordRejectionAsync(start, reject, cancellationToken).ConfigureAwait(false);
            return $"not admitted: {reject.Reason}: {reject.Message}";
        }
        // Over a budget (the repo's, the node's or the tenant's): the job waits, it does not fail.
        var defer = decision as AdmissionDecision.Defer;

        var existing = await finding.ConfigureAwait(false);
        if (existing is null)
        {
            var (record, created) = await jobs.CreateAsync(start.Repo, start.IssueNumber, JobKind.SolveIssue, repo.Config.MaxFixRounds, runAfter: defer?.RetryAt, cancellationToken: cancellationToken, triggeredBy: start.Facts.Author).ConfigureAwait(false);
            if (!created)
            {
                return $"job {record.Id} already exists";
            }
            if (defer is null)
            {
                return $"job {record.Id} created";
            }
            await RecordDeferralAsync(start, record.Id, defer, cancellationToken).ConfigureAwait(false);
            return $"job {record.Id} created, held until {defer.RetryAt:u}: {defer.Reason}: {defer.Message}";
        }
        if (existing.State.IsTerminal())
        {
            await jobs.SendAsync(existing.Id, new Rerun(start.Facts.Author), cancellationToken: cancellationToken).ConfigureAwait(false);
            return $"job {existing.Id} re-run";
        }
        if (start.CommentBody is not null && existing.State is JobState.Running or JobState.Fixing)
        {
            await jobs.SendAsync(existing.Id, new PostChatMessage(start.Facts.Author, start.CommentBody, ChatMessageKind.Message), cancellationToken: cancellationToken).ConfigureAwait(false);
            return $"job {existing.Id}: comment passed to the running agent";
        }
        return $"job {existing.Id} is already {existing.State.ToWire()}";
    }

    private async Task<string> IssueCommentAsync(WorkIntent.IssueComment comment, CancellationToken cancellationToken)
    {
        var job = await store.Jobs.FindByNaturalKeyAsync(JobActor.NaturalKey(comment.Repo, comment.IssueNumber, JobKind.SolveIssue), cancellationToken).ConfigureAwait(false);
        if (job?.State == JobState.WaitingForApproval)
        {
            return await ApprovalAsync(job.Id, comment.Repo, comment.Author, comment.Body, comment.CreatedAt, cancellationToken).ConfigureAwait(false);
        }
        if (job?.State == JobState.WaitingForReply)
        {
            var repo = await repos.GetAsync(comment.Repo, cancellationToken).ConfigureAwait(false);
            if (repo is null || !await IsAllowedAsync(comment.Repo, repo.Config, comment.Author, cancellationToken).ConfigureAwait(false))
            {
                return $"job {job.Id}: reply from {comment.Author} ignored (not an allowed user)";
            }
            await jobs.SendAsync(job.Id, new ReplyReceived(comment.Author, comment.Body), cancellationToken: cancellationToken).ConfigureAwait(false);
            return $"job {job.Id}: reply received, re-queued";
        }
        return comment.AlsoStartWork is { } start
            ? await StartWorkAsync(start, cancellationToken).ConfigureAwait(false)
            : "ignored: a comment with nothing to do";
    }

    private async Task<string> FeedbackAsync(WorkIntent.Feedback feedback, CancellationToken cancellationToken)
    {
        var jobId = await FindPullRequestJobAsync(feedback.Repo, feedback.PullRequestNumber, feedback.HeadBranch, cancellationToken).ConfigureAwait(false);
        if (jobId is null)
        {
            return $"ignored: PR #{feedback.PullRequestNumber} is not AgentMesh's";
        }
        var repo = await repos.GetAsync(feedback.Repo, cancellationToken).ConfigureAwait(false);
        if (repo is null || !repo.Config.Enabled)
        {
            return $"ignored: {feedback.Repo} is not enabled";
        }
        if ((await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false))?.State.State == JobState.WaitingForApproval)
        {
            // A fix round held for its protected paths asks on the pull request, so the approval comes there.
            return await ApprovalAsync(jobId, feedback.Repo, feedback.Author, feedback.Text, feedback.CreatedAt, cancellationToken).ConfigureAwait(false);
        }
        if (feedback.RequiresMention && (repo.Config.TriggerMention is not { } mention || !AdmissionPolicy.Mentions(feedback.Text, mention)))
        {
            return "ignored: a PR comment that does not mention the bot";
        }
        if (!await IsAllowedAsync(feedback.Repo, repo.Config, feedback.Author, cancellationToken).ConfigureAwait(false))
        {
            return $"ignored: feedback from {feedback.Author}, who is not an allowed user";
        }
        var state = await jobs.SendAsync(jobId, new ReviewFeedback(feedback.Author, feedback.Text, feedback.ReviewId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"job {jobId}: review feedback, now {state.State.ToWire()}";
    }

    private async Task<string> PullRequestClosedAsync(WorkIntent.PullRequestClosed closed, CancellationToken cancellationToken)
    {
        var jobId = await FindPullRequestJobAsync(closed.Repo, closed.PullRequestNumber, closed.HeadBranch, cancellationToken).ConfigureAwait(false);
        if (jobId is null)
        {
            return $"ignored: PR #{closed.PullRequestNumber} is not AgentMesh's";
        }
        JobCommand command = closed.Merged ? new Merged() : new PrClosedWithoutMerge();
        var state = await jobs.SendAsync(jobId, command, cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"job {jobId}: {state.State.ToWire()}";
    }

    private async Task<string> IssueClosedAsync(WorkIntent.IssueClosed closed, CancellationToken cancellationToken)
    {
        var job = await store.Jobs.FindByNaturalKeyAsync(JobActor.NaturalKey(closed.Repo, closed.IssueNumber, JobKind.SolveIssue), cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return "ignored: no job for the closed issue";
        }
        // A running agent sees the state change on its job-change stream and is stopped by its worker.
        var state = await jobs.SendAsync(job.Id, new IssueClosed(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"job {job.Id}: {state.State.ToWire()}";
    }

    private async Task<string?> FindPullRequestJobAsync(string repo, int number, string headBranch, CancellationToken cancellationToken)
    {
        if (options.IssueNumberOf(headBranch) is { } issue)
        {
            var job = await store.Jobs.FindByNaturalKeyAsync(JobActor.NaturalKey(repo, issue, JobKind.SolveIssue), cancellationToken).ConfigureAwait(false);
            if (job is not null)
            {
                return job.Id;
            }
        }
        return await pullRequests.FindJobAsync(repo, number, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A comment while a job waits for approval of protected-path changes: <c>@agentmesh approve</c> on a line of
    /// its own, by someone with write access (an allowed-users entry is not enough: this approves pushing
    /// workflow files), written after the request. Anything else leaves the job waiting.
    /// </summary>
    private async Task<string> ApprovalAsync(string jobId, string repo, string author, string body, DateTimeOffset? createdAt, CancellationToken cancellationToken)
    {
        var current = await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (current?.State is not { State: JobState.WaitingForApproval, Held: { } held })
        {
            return $"job {jobId}: no longer waits for approval";
        }
        var config = (await repos.GetAsync(repo, cancellationToken).ConfigureAwait(false))?.Config;
        var parser = new ApprovalCommandParser(config?.TriggerMention ?? ApprovalCommandParser.DefaultMention);
        if (!parser.ContainsApproval(body))
        {
            return $"job {jobId}: waits for approval; the comment is not one";
        }
        // GitHub's timestamps have whole seconds: compare at that precision, or an approval written in the same
        // second as the request would not count.
        var requested = held.RequestedAt.AddTicks(-(held.RequestedAt.Ticks % TimeSpan.TicksPerSecond));
        if (createdAt is { } written && written < requested)
        {
            return $"job {jobId}: an approval written before the request ({written:u}) does not count";
        }
        var isBot = string.Equals(author, options.BotLogin, StringComparison.OrdinalIgnoreCase) || author.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase);
        var canWrite = !isBot && await permissions.CanWriteAsync(repo, author, cancellationToken).ConfigureAwait(false);
        var verdict = parser.Evaluate(body, author, canWrite, isBot);
        if (verdict != ApprovalVerdict.Approved)
        {
            return $"job {jobId}: approval from {author} refused ({verdict})";
        }
        await jobs.SendAsync(jobId, new Approve(author), cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"job {jobId}: approved by {author}, queued to push";
    }

    private async Task<bool> IsAllowedAsync(string repo, RepoConfig config, string login, CancellationToken cancellationToken) =>
        !string.Equals(login, options.BotLogin, StringComparison.OrdinalIgnoreCase)
        && (config.AllowedUsers.Count > 0
            ? config.AllowedUsers.Contains(login, StringComparer.OrdinalIgnoreCase)
            : await permissions.CanWriteAsync(repo, login, cancellationToken).ConfigureAwait(false));

    private Task RecordRejectionAsync(WorkIntent.StartWork start, AdmissionDecision.Reject reject, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(new { issue = start.IssueNumber, author = start.Facts.Author, reason = reject.Reason, message = reject.Message }, CoreJson.Options);
        return store.Actors.TurnAsync(
            RepoActor.ActorType,
            start.Repo,
            _ => new ActorDecision<bool>(null, [new NewEvent("admission_rejected", data)], [], true),
            cancellationToken);
    }

    /// <summary>Why a new job waits, in the repo's history beside its rejections: which budget, and until when.</summary>
    private Task RecordDeferralAsync(WorkIntent.StartWork start, string jobId, AdmissionDecision.Defer defer, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(new { issue = start.IssueNumber, job = jobId, author = start.Facts.Author, reason = defer.Reason, message = defer.Message, retryAt = defer.RetryAt }, CoreJson.Options);
        return store.Actors.TurnAsync(
            RepoActor.ActorType,
            start.Repo,
            _ => new ActorDecision<bool>(null, [new NewEvent("admission_deferred", data)], [], true),
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Repo}: the job refused the command: {Reason}")]
    private static partial void LogRefused(ILogger logger, string repo, string reason);
}
