using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMesh.GitHub.Events;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Events;

/// <summary>Every real example payload of the subscribed events parses, and the typed fields equal the raw JSON.</summary>
public class WebhookEventParserTests
{
    public static TheoryData<string, int> Examples() => WebhookExamples.Cases();

    private static readonly Dictionary<string, string?[]> TypedActions = new()
    {
        ["ping"] = [null],
        ["issues"] = ["opened", "edited", "labeled", "unlabeled", "assigned", "closed", "reopened"],
        ["issue_comment"] = ["created", "edited"],
        ["pull_request"] = ["opened", "synchronize", "reopened", "closed"],
        ["pull_request_review"] = ["submitted"],
        ["pull_request_review_comment"] = ["created"],
        ["installation"] = ["created", "deleted", "suspend", "unsuspend", "new_permissions_accepted"],
        ["installation_repositories"] = ["added", "removed"],
        ["member"] = ["added"],
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_parses_and_fields_match_the_raw_json(string eventName, int index)
    {
        var payload = WebhookExamples.Payload(eventName, index);
        using var document = JsonDocument.Parse(payload);
        var raw = document.RootElement;
        var action = Str(raw, "action");

        var parsed = WebhookEventParser.Parse(eventName, payload);

        parsed.EventName.ShouldBe(eventName);
        if (!TypedActions[eventName].Contains(action))
        {
            var unknown = parsed.ShouldBeOfType<UnknownWebhookEvent>();
            unknown.RawAction.ShouldBe(action);
            return;
        }
        parsed.Action.ShouldBe(action);
        parsed.Repository?.FullName.ShouldBe(Str(raw, "repository.full_name"));
        (parsed.Repository is null).ShouldBe(Find(raw, "repository") is null);
        parsed.Repository?.Id.ShouldBe(Long(raw, "repository.id")!.Value);
        parsed.Sender?.Login.ShouldBe(Str(raw, "sender.login"));
        parsed.Installation?.Id.ShouldBe(Long(raw, "installation.id")!.Value);
        (parsed.Installation is null).ShouldBe(Find(raw, "installation") is null);

        switch (parsed)
        {
            case PingEvent ping:
                ping.Zen.ShouldBe(Str(raw, "zen"));
                ping.HookId.ShouldBe(Long(raw, "hook_id"));
                ping.Hook!.Id.ShouldBe(Long(raw, "hook.id")!.Value);
                ping.Hook.Type.ShouldBe(Str(raw, "hook.type"));
                ping.Hook.Events.ShouldBe(Strings(raw, "hook.events"));
                break;
            case IssuesEvent issues:
                ShouldMatchIssue(issues.Issue, raw.GetProperty("issue"));
                issues.Label?.Name.ShouldBe(Str(raw, "label.name"));
                (issues.Label is null).ShouldBe(Find(raw, "label") is null);
                issues.Assignee?.Login.ShouldBe(Str(raw, "assignee.login"));
                break;
            case IssueCommentEvent comment:
                ShouldMatchIssue(comment.Issue, raw.GetProperty("issue"));
                comment.Comment.Id.ShouldBe(Long(raw, "comment.id")!.Value);
                comment.Comment.Body.ShouldBe(Str(raw, "comment.body"));
                comment.Comment.User!.Login.ShouldBe(Str(raw, "comment.user.login"));
                comment.Comment.AuthorAssociation.ShouldBe(Str(raw, "comment.author_association"));
                comment.Comment.CreatedAt.ShouldBe(DateTimeOffset.Parse(Str(raw, "comment.created_at")!, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case PullRequestEvent pr:
                pr.Number.ShouldBe((int)Long(raw, "number")!.Value);
                ShouldMatchPullRequest(pr.PullRequest, raw.GetProperty("pull_request"));
                pr.Before.ShouldBe(Str(raw, "before"));
                pr.After.ShouldBe(Str(raw, "after"));
                pr.IsMerge.ShouldBe(action == "closed" && Find(raw, "pull_request.merged")?.GetBoolean() == true);
                break;
            case PullRequestReviewEvent review:
                review.Review.Id.ShouldBe(Long(raw, "review.id")!.Value);
                review.Review.State.ShouldBe(Str(raw, "review.state"));
                review.Review.Body.ShouldBe(Str(raw, "review.body"));
                review.Review.User!.Login.ShouldBe(Str(raw, "review.user.login"));
                review.Review.CommitId.ShouldBe(Str(raw, "review.commit_id"));
                ShouldMatchPullRequest(review.PullRequest, raw.GetProperty("pull_request"));
                break;
            case PullRequestReviewCommentEvent reviewComment:
                reviewComment.Comment.Id.ShouldBe(Long(raw, "comment.id")!.Value);
                reviewComment.Comment.Body.ShouldBe(Str(raw, "comment.body"));
                reviewComment.Comment.Path.ShouldBe(Str(raw, "comment.path"));
                reviewComment.Comment.Line.ShouldBe((int?)Long(raw, "comment.line"));
                reviewComment.Comment.CommitId.ShouldBe(Str(raw, "comment.commit_id"));
                reviewComment.Comment.PullRequestReviewId.ShouldBe(Long(raw, "comment.pull_request_review_id"));
                reviewComment.Comment.User!.Login.ShouldBe(Str(raw, "comment.user.login"));
                ShouldMatchPullRequest(reviewComment.PullRequest, raw.GetProperty("pull_request"));
                break;
            case InstallationEvent installation:
                installation.Installation!.Account!.Login.ShouldBe(Str(raw, "installation.account.login"));
                installation.Installation.AppId.ShouldBe(Long(raw, "installation.app_id"));
                installation.Installation.RepositorySelection.ShouldBe(Str(raw, "installation.repository_selection"));
                installation.Repositories.Select(r => r.FullName).ShouldBe(Names(raw, "repositories"));
                break;
            case InstallationRepositoriesEvent changed:
                changed.RepositorySelection.ShouldBe(Str(raw, "repository_selection"));
                changed.RepositoriesAdded.Select(r => r.FullName).ShouldBe(Names(raw, "repositories_added"));
                changed.RepositoriesRemoved.Select(r => r.FullName).ShouldBe(Names(raw, "repositories_removed"));
                break;
            case MemberEvent member:
                member.Member.Login.ShouldBe(Str(raw, "member.login"));
                member.Member.Id.ShouldBe(Long(raw, "member.id")!.Value);
                break;
            default:
                throw new ShouldAssertException($"{eventName}.{action} parsed as {parsed.GetType().Name}, not a typed event.");
        }
    }

    [Fact]
    public void The_examples_cover_every_typed_action_except_issues_closed_which_the_package_lacks()
    {
        var seen = WebhookExamples.Cases()
            .Select(c => (Event: (string)c[0], Payload: WebhookExamples.Payload((string)c[0], (int)c[1])))
            .Select(c => $"{c.Event}.{WebhookEventParser.Parse(c.Event, c.Payload).Action}")
            .ToHashSet();
        var missing = TypedActions
            .SelectMany(e => e.Value.Where(a => a is not null && !e.Key.StartsWith("installation", StringComparison.Ordinal)).Select(a => $"{e.Key}.{a}"))
            .Where(a => !seen.Contains(a))
            .Order()
            .ToList();
        // issues.closed has no example in @octokit/webhooks-examples 7.6.1; it is covered by the synthesized case below.
        missing.ShouldBe(["issues.closed"]);
    }

    [Fact]
    public void Issues_closed_derived_from_a_real_reopened_example_parses()
    {
        var json = ExampleWithAction("issues", "reopened");
        json["action"] = "closed";
        json["issue"]!["state"] = "closed";

        var parsed = WebhookEventParser.Parse("issues", JsonSerializer.SerializeToUtf8Bytes(json)).ShouldBeOfType<IssuesEvent>();

        parsed.Action.ShouldBe("closed");
        parsed.Issue.State.ShouldBe("closed");
        parsed.Issue.Number.ShouldBe(json["issue"]!["number"]!.GetValue<int>());
    }

    [Fact]
    public void Pull_request_closed_with_merged_true_is_a_merge_and_with_false_is_not()
    {
        var json = ExampleWithAction("pull_request", "closed");
        json["pull_request"]!["merged"] = true;
        var merged = WebhookEventParser.Parse("pull_request", JsonSerializer.SerializeToUtf8Bytes(json)).ShouldBeOfType<PullRequestEvent>();
        json["pull_request"]!["merged"] = false;
        var abandoned = WebhookEventParser.Parse("pull_request", JsonSerializer.SerializeToUtf8Bytes(json)).ShouldBeOfType<PullRequestEvent>();

        merged.IsMerge.ShouldBeTrue();
        merged.PullRequest.Merged.ShouldBe(true);
        abandoned.IsMerge.ShouldBeFalse();
    }

    [Fact]
    public void An_unknown_event_is_an_unknown_marker_not_an_error()
    {
        var parsed = WebhookEventParser.Parse("workflow_run", """{"action":"completed","workflow_run":{"id":1}}"""u8);

        var unknown = parsed.ShouldBeOfType<UnknownWebhookEvent>();
        unknown.EventName.ShouldBe("workflow_run");
        unknown.RawAction.ShouldBe("completed");
    }

    [Fact]
    public void A_body_that_is_not_a_json_object_throws_JsonException()
    {
        Should.Throw<JsonException>(() => WebhookEventParser.Parse("issues", "[1,2]"u8));
        Should.Throw<JsonException>(() => WebhookEventParser.Parse("issues", "{\"action\":"u8));
    }

    private static JsonObject ExampleWithAction(string eventName, string action)
    {
        var index = Enumerable.Range(0, 100).First(i => Str(JsonDocument.Parse(WebhookExamples.Payload(eventName, i)).RootElement, "action") == action);
        return JsonNode.Parse(WebhookExamples.Payload(eventName, index))!.AsObject();
    }

    private static void ShouldMatchIssue(AgentMesh.GitHub.Models.GitHubIssue issue, JsonElement raw)
    {
        issue.Id.ShouldBe(raw.GetProperty("id").GetInt64());
        issue.Number.ShouldBe(raw.GetProperty("number").GetInt32());
        issue.Title.ShouldBe(Str(raw, "title"));
        issue.Body.ShouldBe(Str(raw, "body"));
        issue.State.ShouldBe(Str(raw, "state"));
        issue.User!.Login.ShouldBe(Str(raw, "user.login"));
        issue.Labels.Select(l => l.Name).ShouldBe(Find(raw, "labels")?.EnumerateArray().Select(l => l.GetProperty("name").GetString()!) ?? []);
        issue.Assignees.Select(a => a.Login).ShouldBe(Find(raw, "assignees")?.EnumerateArray().Select(a => a.GetProperty("login").GetString()!) ?? []);
        (issue.PullRequest is not null).ShouldBe(Find(raw, "pull_request") is not null);
    }

    private static void ShouldMatchPullRequest(AgentMesh.GitHub.Models.GitHubPullRequest pr, JsonElement raw)
    {
        pr.Id.ShouldBe(raw.GetProperty("id").GetInt64());
        pr.Number.ShouldBe(raw.GetProperty("number").GetInt32());
        pr.Title.ShouldBe(Str(raw, "title"));
        pr.Body.ShouldBe(Str(raw, "body"));
        pr.State.ShouldBe(Str(raw, "state"));
        pr.Merged.ShouldBe(Find(raw, "merged")?.ValueKind is JsonValueKind.True or JsonValueKind.False ? raw.GetProperty("merged").GetBoolean() : null);
        pr.Head.Ref.ShouldBe(Str(raw, "head.ref"));
        pr.Head.Sha.ShouldBe(Str(raw, "head.sha"));
        pr.Head.Label.ShouldBe(Str(raw, "head.label"));
        pr.Head.Repo?.FullName.ShouldBe(Str(raw, "head.repo.full_name"));
        pr.Base.Ref.ShouldBe(Str(raw, "base.ref"));
        pr.User!.Login.ShouldBe(Str(raw, "user.login"));
        pr.Labels.Select(l => l.Name).ShouldBe(Find(raw, "labels")?.EnumerateArray().Select(l => l.GetProperty("name").GetString()!) ?? []);
    }

    /// <summary>The element at a dotted path, or null when any step is missing or JSON null.</summary>
    private static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var step in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current) || current.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
        }
        return current;
    }

    private static string? Str(JsonElement root, string path) => Find(root, path)?.GetString();

    private static long? Long(JsonElement root, string path) => Find(root, path)?.GetInt64();

    private static string[] Strings(JsonElement root, string path) =>
        Find(root, path)?.EnumerateArray().Select(e => e.GetString()!).ToArray() ?? [];

    private static string[] Names(JsonElement root, string path) =>
        Find(root, path)?.EnumerateArray().Select(e => e.GetProperty("full_name").GetString()!).ToArray() ?? [];
}
