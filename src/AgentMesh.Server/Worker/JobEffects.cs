using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentMesh.Core.Jobs;
using AgentMesh.Server.Outbox;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>
/// The side effects a job decision asks for, as outbox items committed in the decision's own
/// transaction. Idempotency keys name the decision (job, run, round), so a retried turn or a
/// redelivered webhook never posts a comment twice.
/// </summary>
public sealed class JobEffects
{
    /// <summary>The issue gets (or has updated) the job's status comment with the PR link and the usage.</summary>
    public IReadOnlyList<NewOutboxItem> PullRequestOpened(JobActorState before, JobDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var job = decision.State;
        if (decision.IsNoOp || job.PullRequest is not { } pr)
        {
            return [];
        }
        var body = $"I opened a pull request for this issue: {pr.Url} (#{pr.Number}).\n\n{PullRequestText.Usage(job)}";
        return [Comment(job.Repo, job.Number, body, statusOf: job.Id, key: $"job/{job.Id}/run/{job.Run}/pr/{pr.Number}")];
    }

    /// <summary>The pull request hears that the feedback was addressed.</summary>
    public IReadOnlyList<NewOutboxItem> FixPushed(JobActorState before, JobDecision decision)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(decision);
        var job = decision.State;
        if (decision.IsNoOp || job.PullRequest is not { } pr)
        {
            return [];
        }
        var feedback = before.FixFeedback is { } note ? $" from @{note.Author}" : "";
        // The round that pushed: the decision may already have started the next one (another review waited).
        var body = $"I pushed a fix for the review feedback{feedback} (round {before.FixRounds} of {job.MaxFixRounds}).\n\n{PullRequestText.Usage(job)}";
        return [Comment(job.Repo, pr.Number, body, statusOf: null, key: $"job/{job.Id}/run/{job.Run}/fix/{before.FixRounds}")];
    }

    /// <summary>The agent's questions go to the issue as a comment; the next allowed reply answers them.</summary>
    public IReadOnlyList<NewOutboxItem> ClarificationAsked(JobActorState before, JobDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var job = decision.State;
        if (job.Clarification is not { } clarification)
        {
            return [];
        }
        var body = new StringBuilder("Before I go on, I need to know:\n\n");
        foreach (var question in clarification.Questions)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"- {question}");
        }
        body.AppendLine();
        body.AppendLine("Reply in a comment and I will continue.");
        return [Comment(job.Repo, job.Number, body.ToString(), statusOf: null, key: $"job/{job.Id}/run/{job.Run}/clarify/{clarification.AskedAt.ToUnixTimeMilliseconds()}")];
    }

    /// <summary>The run's work touches protected paths: the issue (or the PR, in a fix round) gets the approval request.</summary>
    public IReadOnlyList<NewOutboxItem> ApprovalRequested(JobActorState before, JobDecision decision, string comment)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var job = decision.State;
        if (decision.IsNoOp || job.Held is not { } held)
        {
            return [];
        }
        var target = held.FixRound > 0 && job.PullRequest is { } pr ? pr.Number : job.Number;
        return [Comment(job.Repo, target, comment, statusOf: null, key: $"job/{job.Id}/run/{job.Run}/approval/{held.Commit}")];
    }

    /// <summary>A job that failed for good says why on its issue; a retry says nothing.</summary>
    public IReadOnlyList<NewOutboxItem> Failed(JobActorState before, JobDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var job = decision.State;
        if (job.State != JobState.Failed || before?.State == JobState.Failed)
        {
            return [];
        }
        var target = job.PullRequest?.Number ?? job.Number;
        var body = $"I could not finish this: {job.LastError?.Reason ?? "unknown error"} (attempt {job.LastError?.Attempt ?? job.Attempt} of {job.MaxAttempts}).\n\nA maintainer can re-run the job from the AgentMesh dashboard or with `agentmesh jobs retry {job.Id}`.";
        return [Comment(job.Repo, target, body, statusOf: job.Id, key: $"job/{job.Id}/run/{job.Run}/failed")];
    }

    private static NewOutboxItem Comment(string repo, int number, string body, string? statusOf, string key) =>
        new(
            statusOf is null ? OutboxKinds.Comment : OutboxKinds.StatusComment,
            key,
            JsonSerializer.Serialize(new CommentEffect(repo, number, body, statusOf)));
}
