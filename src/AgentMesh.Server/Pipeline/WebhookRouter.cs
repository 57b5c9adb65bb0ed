using AgentMesh.Core.Repos;
using AgentMesh.GitHub.Events;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.Issues;
using Octokit.Webhooks.Models;

namespace AgentMesh.Server.Pipeline;

/// <summary>
/// Maps a parsed webhook to a <see cref="WorkIntent"/>. Pure: permissions, configuration and job
/// state are consulted afterwards by <see cref="WorkIntentHandler"/>. The author's write permission
/// is not known here, so facts carry <c>false</c> until the handler looks it up.
/// </summary>
public sealed class WebhookRouter(PipelineOptions options)
{
    public WorkIntent Route(WebhookEvent webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        // The App's own events name an installation and its account, never one repository.
        switch (webhook)
        {
            case InstallationEvent e:
                return RouteInstallation(e);
            case InstallationRepositoriesEvent e:
                return RouteInstallationRepositories(e);
        }
        var repo = webhook.Repository?.FullName;
        if (string.IsNullOrEmpty(repo))
        {
            return new WorkIntent.Ignore("", $"{webhook.EventName} has no repository");
        }
        return webhook switch
        {
            IssuesEvent e => RouteIssue(repo, e),
            IssueCommentEvent e => RouteIssueComment(repo, e),
            PullRequestEvent e => RoutePullRequest(repo, e),
            PullRequestReviewEvent e => RouteReview(repo, e),
            PullRequestReviewCommentEvent e => RouteReviewComment(repo, e),
            _ => new WorkIntent.Ignore(repo, $"{webhook.EventName}.{webhook.Action} starts no work"),
        };
    }

    private static WorkIntent RouteInstallation(InstallationEvent e)
    {
        var account = e.Installation.Account?.Login;
        if (string.IsNullOrEmpty(account))
        {
            return new WorkIntent.Ignore("", $"installation.{e.Action} names no account");
        }
        return e.Action switch
        {
            "created" => new WorkIntent.InstallationGranted(account, e.Installation.Id, [.. (e.Repositories ?? []).Select(r => r.FullName)]),
            "deleted" => new WorkIntent.InstallationDeleted(account, e.Installation.Id),
            // A suspended installation keeps its repos in the tenant: GitHub stops delivering for it, and unsuspending
            // gives them back as they were.
            _ => new WorkIntent.Ignore("", $"installation.{e.Action} changes no tenant"),
        };
    }

    private static WorkIntent RouteInstallationRepositories(InstallationRepositoriesEvent e)
    {
        var account = e.Installation.Account?.Login;
        if (string.IsNullOrEmpty(account))
        {
            return new WorkIntent.Ignore("", $"installation_repositories.{e.Action} names no account");
        }
        return e.Action switch
        {
            "added" => new WorkIntent.InstallationGranted(account, e.Installation.Id, [.. (e.RepositoriesAdded ?? []).Select(r => r.FullName)]),
            "removed" => new WorkIntent.InstallationReposRevoked(account, e.Installation.Id, [.. (e.RepositoriesRemoved ?? []).Select(r => r.FullName)]),
            _ => new WorkIntent.Ignore("", $"installation_repositories.{e.Action} changes no tenant"),
        };
    }

    private WorkIntent RouteIssue(string repo, IssuesEvent e)
    {
        if (e.Issue.PullRequest is not null)
        {
            return new WorkIntent.Ignore(repo, "issues event for a pull request");
        }
        var author = e.Sender?.Login ?? "";
        return e.Action switch
        {
            "opened" => StartWork(repo, e.Issue, TriggerKind.IssueOpened, author, addedLabel: null, commentBody: null),
            "labeled" => StartWork(repo, e.Issue, TriggerKind.IssueLabeled, author, (e as IssuesLabeledEvent)?.Label?.Name, commentBody: null),
            "closed" => new WorkIntent.IssueClosed(repo, (int)e.Issue.Number),
            _ => new WorkIntent.Ignore(repo, $"issues.{e.Action} starts no work"),
        };
    }

    private WorkIntent RouteIssueComment(string repo, IssueCommentEvent e)
    {
        if (e.Action != "created")
        {
            return new WorkIntent.Ignore(repo, $"issue_comment.{e.Action} starts no work");
        }
        var author = e.Comment.User?.Login ?? "";
        if (IsBot(author))
        {
            return new WorkIntent.Ignore(repo, "the bot's own comment");
        }
        if (e.Issue.PullRequest is not null)
        {
            // A comment in a pull request's conversation is review feedback when it mentions the bot;
            // the head branch is not in this payload, so the PR number finds the job.
            return new WorkIntent.Feedback(repo, (int)e.Issue.Number, HeadBranch: "", author, e.Comment.Body, RequiresMention: true, CreatedAt: e.Comment.CreatedAt);
        }
        var start = StartWork(repo, e.Issue, TriggerKind.CommentMention, author, addedLabel: null, e.Comment.Body);
        return new WorkIntent.IssueComment(repo, (int)e.Issue.Number, author, e.Comment.Body, start, e.Comment.CreatedAt);
    }

    private WorkIntent RoutePullRequest(string repo, PullRequestEvent e) =>
        e.Action == "closed"
            ? new WorkIntent.PullRequestClosed(repo, (int)e.PullRequest.Number, e.PullRequest.Head.Ref, e.IsMerge)
            : new WorkIntent.Ignore(repo, $"pull_request.{e.Action} starts no work");

    private WorkIntent RouteReview(string repo, PullRequestReviewEvent e)
    {
        var author = e.Review.User?.Login ?? e.Sender?.Login ?? "";
        if (e.Action != "submitted" || IsBot(author))
        {
            return new WorkIntent.Ignore(repo, "not a submitted review by a person");
        }
        // An approval is not feedback to act on; changes requested always is; a plain comment review is when it says something.
        var state = (e.Review.State?.StringValue ?? "").ToUpperInvariant();
        if (state == "APPROVED" || (state != "CHANGES_REQUESTED" && string.IsNullOrWhiteSpace(e.Review.Body)))
        {
            return new WorkIntent.Ignore(repo, $"review {e.Review.State?.StringValue} asks for no change");
        }
        var text = string.IsNullOrWhiteSpace(e.Review.Body) ? "Changes were requested in the review." : e.Review.Body!;
        return new WorkIntent.Feedback(repo, (int)e.PullRequest.Number, e.PullRequest.Head.Ref, author, text, ReviewId: e.Review.Id);
    }

    private WorkIntent RouteReviewComment(string repo, PullRequestReviewCommentEvent e)
    {
        var author = e.Comment.User?.Login ?? "";
        if (e.Action != "created" || IsBot(author))
        {
            return new WorkIntent.Ignore(repo, "not a new review comment by a person");
        }
        var where = string.IsNullOrEmpty(e.Comment.Path) ? "" : $"On {e.Comment.Path}{(e.Comment.Line is { } line ? $" line {line}" : "")}: ";
        return new WorkIntent.Feedback(repo, (int)e.PullRequest.Number, e.PullRequest.Head.Ref, author, where + e.Comment.Body, ReviewId: e.Comment.PullRequestReviewId);
    }

    private WorkIntent.StartWork StartWork(string repo, Issue issue, TriggerKind kind, string author, string? addedLabel, string? commentBody)
    {
        var facts = new TriggerFacts(
            kind,
            author,
            AuthorHasWritePermission: false,
            [.. (issue.Labels ?? []).Select(l => l.Name)],
            addedLabel,
            commentBody,
            IsBotOwnComment: IsBot(author),
            RunningJobs: 0);
        return new WorkIntent.StartWork(repo, (int)issue.Number, issue.Title, facts, commentBody);
    }

    private bool IsBot(string login) => string.Equals(login, options.BotLogin, StringComparison.OrdinalIgnoreCase);
}
