using AgentMesh.Core.Repos;

namespace AgentMesh.Server.Pipeline;

/// <summary>What a webhook means for AgentMesh, before any state is consulted.</summary>
public abstract record WorkIntent(string Repo)
{
    /// <summary>Someone may be asking for work on an issue (opened, labeled, mentioned the bot).</summary>
    /// <param name="CommentBody">The comment that mentioned the bot, when the trigger was a comment.</param>
    public sealed record StartWork(string Repo, int IssueNumber, string Title, TriggerFacts Facts, string? CommentBody) : WorkIntent(Repo);

    /// <summary>A comment on an issue: a reply if its job waits for one, else nothing (unless it also mentions the bot).</summary>
    /// <param name="CreatedAt">When GitHub says the comment was written (an approval counts only after the request).</param>
    public sealed record IssueComment(string Repo, int IssueNumber, string Author, string Body, StartWork? AlsoStartWork, DateTimeOffset? CreatedAt = null) : WorkIntent(Repo);

    /// <summary>Review feedback on a pull request AgentMesh opened (found by its head branch, or its number when the payload has no branch).</summary>
    /// <param name="RequiresMention">A comment in the PR's conversation counts only when it mentions the bot.</param>
    /// <param name="ReviewId">The GitHub review it belongs to (see <see cref="AgentMesh.Core.Jobs.Commands.ReviewFeedback.ReviewId"/>).</param>
    public sealed record Feedback(string Repo, int PullRequestNumber, string HeadBranch, string Author, string Text, bool RequiresMention = false, long? ReviewId = null, DateTimeOffset? CreatedAt = null) : WorkIntent(Repo);

    /// <summary>A pull request was closed, merged or not.</summary>
    public sealed record PullRequestClosed(string Repo, int PullRequestNumber, string HeadBranch, bool Merged) : WorkIntent(Repo);

    /// <summary>An issue was closed: its job is closed and a running agent stopped.</summary>
    public sealed record IssueClosed(string Repo, int IssueNumber) : WorkIntent(Repo);

    /// <summary>
    /// The GitHub App was installed on <paramref name="Account"/> (installation created) or its installation was
    /// granted more repos (installation_repositories added): the account's tenant records both. No repo of its own.
    /// </summary>
    public sealed record InstallationGranted(string Account, long InstallationId, IReadOnlyList<string> Repos) : WorkIntent("");

    /// <summary>The App was uninstalled from <paramref name="Account"/> (installation deleted).</summary>
    public sealed record InstallationDeleted(string Account, long InstallationId) : WorkIntent("");

    /// <summary>The installation on <paramref name="Account"/> no longer grants <paramref name="Repos"/> (installation_repositories removed).</summary>
    public sealed record InstallationReposRevoked(string Account, long InstallationId, IReadOnlyList<string> Repos) : WorkIntent("");

    /// <summary>Nothing to do, and why (kept with the delivery for operators).</summary>
    public sealed record Ignore(string Repo, string Reason) : WorkIntent(Repo);
}
