using System.Text;
using System.Text.Json.Nodes;
using AgentMesh.Core.Repos;
using AgentMesh.GitHub.Events;
using AgentMesh.Server.Pipeline;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Pipeline;

/// <summary>What each webhook means, from payloads in GitHub's shape.</summary>
public sealed class WebhookRouterTests
{
    private readonly WebhookRouter _router = new(new PipelineOptions { BotLogin = "agentmesh[bot]" });

    [Fact]
    public void An_opened_issue_asks_for_work_with_its_labels_and_author()
    {
        var intent = Route("issues", Issue("opened", "alice", labels: ["bug"]));

        var start = intent.ShouldBeOfType<WorkIntent.StartWork>();
        start.Repo.ShouldBe("octo/widgets");
        start.IssueNumber.ShouldBe(7);
        start.Title.ShouldBe("Broken widget");
        start.Facts.ShouldBe(new TriggerFacts(TriggerKind.IssueOpened, "alice", false, start.Facts.Labels, null, null, false, 0));
        start.Facts.Labels.ShouldBe(["bug"]);
    }

    [Fact]
    public void A_label_added_to_an_issue_asks_for_work_naming_the_label()
    {
        var payload = Issue("labeled", "alice", labels: ["agentmesh"]);
        payload["label"] = new JsonObject { ["name"] = "agentmesh" };

        var start = Route("issues", payload).ShouldBeOfType<WorkIntent.StartWork>();

        start.Facts.Kind.ShouldBe(TriggerKind.IssueLabeled);
        start.Facts.AddedLabel.ShouldBe("agentmesh");
    }

    [Fact]
    public void A_closed_issue_closes_its_job()
    {
        Route("issues", Issue("closed", "alice")).ShouldBe(new WorkIntent.IssueClosed("octo/widgets", 7));
    }

    [Fact]
    public void A_comment_on_an_issue_may_be_a_reply_or_a_mention()
    {
        var comment = Route("issue_comment", Comment("alice", "@agentmesh please fix", onPullRequest: false)).ShouldBeOfType<WorkIntent.IssueComment>();

        comment.Author.ShouldBe("alice");
        comment.Body.ShouldBe("@agentmesh please fix");
        comment.AlsoStartWork.ShouldNotBeNull().Facts.Kind.ShouldBe(TriggerKind.CommentMention);
        comment.AlsoStartWork.CommentBody.ShouldBe("@agentmesh please fix");
    }

    [Fact]
    public void The_bots_own_comment_never_triggers_anything()
    {
        Route("issue_comment", Comment("agentmesh[bot]", "@agentmesh I opened a PR", onPullRequest: false)).ShouldBeOfType<WorkIntent.Ignore>();
        Route("issue_comment", Comment("AgentMesh[bot]", "I pushed a fix", onPullRequest: true)).ShouldBeOfType<WorkIntent.Ignore>();
    }

    [Fact]
    public void A_comment_in_a_pull_requests_conversation_is_feedback_only_with_a_mention()
    {
        var feedback = Route("issue_comment", Comment("alice", "please rename it", onPullRequest: true)).ShouldBeOfType<WorkIntent.Feedback>();

        feedback.PullRequestNumber.ShouldBe(7);
        feedback.RequiresMention.ShouldBeTrue();
        feedback.Text.ShouldBe("please rename it");
    }

    [Theory]
    [InlineData("changes_requested", "", true, "Changes were requested in the review.")]
    [InlineData("changes_requested", "Rename it.", true, "Rename it.")]
    [InlineData("commented", "Rename it.", true, "Rename it.")]
    [InlineData("commented", "", false, null)]
    [InlineData("approved", "Looks good.", false, null)]
    public void A_review_is_feedback_when_it_asks_for_a_change(string state, string body, bool isFeedback, string? text)
    {
        var intent = Route("pull_request_review", Review(state, body, "alice"));

        if (isFeedback)
        {
            var feedback = intent.ShouldBeOfType<WorkIntent.Feedback>();
            feedback.Text.ShouldBe(text);
            feedback.HeadBranch.ShouldBe("agentmesh/issue-3");
            feedback.RequiresMention.ShouldBeFalse();
        }
        else
        {
            intent.ShouldBeOfType<WorkIntent.Ignore>();
        }
    }

    [Fact]
    public void A_review_comment_is_feedback_that_says_where()
    {
        var payload = new JsonObject
        {
            ["action"] = "created",
            ["comment"] = new JsonObject { ["id"] = 1, ["body"] = "Off by one.", ["path"] = "src/a.cs", ["line"] = 12, ["user"] = User("alice") },
            ["pull_request"] = PullRequest(merged: false),
            ["repository"] = Repository(),
            ["sender"] = User("alice"),
        };

        var feedback = Route("pull_request_review_comment", payload).ShouldBeOfType<WorkIntent.Feedback>();

        feedback.Text.ShouldBe("On src/a.cs line 12: Off by one.");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_closed_pull_request_says_whether_it_was_merged(bool merged)
    {
        var payload = new JsonObject
        {
            ["action"] = "closed",
            ["number"] = 8,
            ["pull_request"] = PullRequest(merged),
            ["repository"] = Repository(),
            ["sender"] = User("alice"),
        };

        Route("pull_request", payload).ShouldBe(new WorkIntent.PullRequestClosed("octo/widgets", 8, "agentmesh/issue-3", merged));
    }

    [Fact]
    public void Events_that_start_no_work_are_ignored_with_the_reason()
    {
        Route("issues", Issue("edited", "alice")).ShouldBe(new WorkIntent.Ignore("octo/widgets", "issues.edited starts no work"));
        Route("ping", new JsonObject { ["zen"] = "Keep it simple.", ["hook_id"] = 1 }).ShouldBeOfType<WorkIntent.Ignore>();
    }

    [Fact]
    public void An_installation_created_grants_its_account_the_installation_and_its_repositories()
    {
        var granted = Route("installation", InstallationPayloads.Example("installation.created.json")).ShouldBeOfType<WorkIntent.InstallationGranted>();

        granted.Account.ShouldBe("Codertocat");
        granted.InstallationId.ShouldBe(957387);
        granted.Repos.ShouldBe(["Codertocat/Hello-World"]);
    }

    [Fact]
    public void An_installation_deleted_removes_it_from_its_account()
    {
        Route("installation", InstallationPayloads.Example("installation.deleted.json")).ShouldBe(new WorkIntent.InstallationDeleted("octocat", 2));
    }

    [Fact]
    public void Repositories_added_to_an_installation_are_granted_to_its_account()
    {
        var granted = Route("installation_repositories", InstallationPayloads.Example("installation_repositories.added.json")).ShouldBeOfType<WorkIntent.InstallationGranted>();

        granted.Account.ShouldBe("Codertocat");
        granted.InstallationId.ShouldBe(957387);
        granted.Repos.ShouldBe(["Codertocat/Space"]);
    }

    [Fact]
    public void Repositories_removed_from_an_installation_are_revoked_from_its_account()
    {
        var revoked = Route("installation_repositories", InstallationPayloads.Example("installation_repositories.removed.json")).ShouldBeOfType<WorkIntent.InstallationReposRevoked>();

        revoked.Account.ShouldBe("octocat");
        revoked.InstallationId.ShouldBe(2);
        revoked.Repos.ShouldBe(["octocat/Hello-World"]);
    }

    [Theory]
    [InlineData("suspend")]
    [InlineData("unsuspend")]
    [InlineData("new_permissions_accepted")]
    public void Other_installation_actions_change_no_tenant(string action)
    {
        var payload = InstallationPayloads.Example("installation.created.json");
        payload["action"] = action;

        Route("installation", payload).ShouldBe(new WorkIntent.Ignore("", $"installation.{action} changes no tenant"));
    }

    private WorkIntent Route(string eventName, JsonObject payload) =>
        _router.Route(WebhookEventParser.Parse(eventName, Encoding.UTF8.GetBytes(payload.ToJsonString())));

    private static JsonObject Issue(string action, string sender, string[]? labels = null) => new()
    {
        ["action"] = action,
        ["issue"] = IssueBody(labels ?? [], isPullRequest: false),
        ["repository"] = Repository(),
        ["sender"] = User(sender),
    };

    private static JsonObject Comment(string author, string body, bool onPullRequest) => new()
    {
        ["action"] = "created",
        ["issue"] = IssueBody([], onPullRequest),
        ["comment"] = new JsonObject { ["id"] = 99, ["body"] = body, ["user"] = User(author) },
        ["repository"] = Repository(),
        ["sender"] = User(author),
    };

    private static JsonObject Review(string state, string body, string reviewer) => new()
    {
        ["action"] = "submitted",
        ["review"] = new JsonObject { ["id"] = 5, ["body"] = body.Length == 0 ? null : body, ["state"] = state, ["user"] = User(reviewer) },
        ["pull_request"] = PullRequest(merged: false),
        ["repository"] = Repository(),
        ["sender"] = User(reviewer),
    };

    private static JsonObject IssueBody(string[] labels, bool isPullRequest)
    {
        var issue = new JsonObject
        {
            ["id"] = 700,
            ["number"] = 7,
            ["title"] = "Broken widget",
            ["body"] = "It breaks.",
            ["state"] = "open",
            ["user"] = User("alice"),
            ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)new JsonObject { ["name"] = l })]),
        };
        if (isPullRequest)
        {
            issue["pull_request"] = new JsonObject { ["url"] = "https://api.github.com/repos/octo/widgets/pulls/7" };
        }
        return issue;
    }

    private static JsonObject PullRequest(bool merged) => new()
    {
        ["id"] = 800,
        ["number"] = 8,
        ["state"] = merged ? "closed" : "open",
        ["merged"] = merged,
        ["head"] = new JsonObject { ["ref"] = "agentmesh/issue-3" },
        ["base"] = new JsonObject { ["ref"] = "main" },
    };

    private static JsonObject Repository() => new() { ["id"] = 1, ["name"] = "widgets", ["full_name"] = "octo/widgets", ["owner"] = User("octo") };

    private static JsonObject User(string login) => new() { ["login"] = login, ["id"] = 1, ["type"] = "User" };
}
