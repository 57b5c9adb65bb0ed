using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMesh.GitHub.Events;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.Issues;
using Octokit.Webhooks.Events.PullRequest;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Events;

/// <summary>
/// Every real example payload of the subscribed events parses into Octokit.Webhooks' typed event, and the
/// typed fields equal the raw JSON.
/// </summary>
public class WebhookEventParserTests
{
    public static TheoryData<string, int> Examples() => WebhookExamples.Cases();

    private static readonly Dictionary<string, string?[]> TypedActions = new()
    {
        ["ping"] = [null],
        ["push"] = [null],
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
        if (parsed is not (InstallationEvent or InstallationRepositoriesEvent))
        {
            parsed.Installation?.Id.ShouldBe(Long(raw, "installation.id")!.Value);
            (parsed.Installation is null).ShouldBe(Find(raw, "installation") is null);
        }

        switch (parsed)
        {
            case PingEvent ping:
                ping.Zen.ShouldBe(Str(raw, "zen"));
                ping.HookId.ShouldBe(Long(raw, "hook_id")!.Value);
                ping.Hook.Id.ShouldBe(Long(raw, "hook.id")!.Value);
                ping.Hook.Type.StringValue.ShouldBe(Str(raw, "hook.type"));
                ping.Hook.Events.Select(e => e.StringValue).ShouldBe(Strings(raw, "hook.events"));
                break;
            case PushEvent push:
                push.Ref.ShouldBe(Str(raw, "ref"));
                push.Before.ShouldBe(Str(raw, "before"));
                push.After.ShouldBe(Str(raw, "after"));
                push.Commits.Select(c => c.Id).ShouldBe(Find(raw, "commits")!.Value.EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
                push.Pusher.Name.ShouldBe(Str(raw, "pusher.name"));
                break;
            case IssuesEvent issues:
                ShouldMatchIssue(issues.Issue, raw.GetProperty("issue"));
                if (issues is IssuesLabeledEvent labeled)
                {
                    labeled.Label?.Name.ShouldBe(Str(raw, "label.name"));
                }
                if (issues is IssuesAssignedEvent assigned)
                {
                    assigned.Assignee?.Login.ShouldBe(Str(raw, "assignee.login"));
                }
                break;
            case IssueCommentEvent comment:
                ShouldMatchIssue(comment.Issue, raw.GetProperty("issue"));
                comment.Comment.Id.ShouldBe(Long(raw, "comment.id")!.Value);
                comment.Comment.Body.ShouldBe(Str(raw, "comment.body"));
                comment.Comment.User.Login.ShouldBe(Str(raw, "comment.user.login"));
                comment.Comment.AuthorAssociation.StringValue.ShouldBe(Str(raw, "comment.author_association"));
                comment.Comment.CreatedAt.ShouldBe(DateTimeOffset.Parse(Str(raw, "comment.created_at")!, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case PullRequestEvent pr:
                pr.Number.ShouldBe(Long(raw, "number")!.Value);
                ShouldMatchPullRequest(pr.PullRequest, raw.GetProperty("pull_request"));
                if (pr is PullRequestSynchronizeEvent synchronize)
                {
                    synchronize.Before.ShouldBe(Str(raw, "before"));
                    synchronize.After.ShouldBe(Str(raw, "after"));
                }
                pr.IsMerge.ShouldBe(action == "closed" && Find(raw, "pull_request.merged")?.GetBoolean() == true);
                break;
            case PullRequestReviewEvent review:
                review.Review.Id.ShouldBe(Long(raw, "review.id")!.Value);
                review.Review.State?.StringValue.ShouldBe(Str(raw, "review.state"));
                review.Review.Body.ShouldBe(Str(raw, "review.body"));
                review.Review.User.Login.ShouldBe(Str(raw, "review.user.login"));
                review.Review.CommitId.ShouldBe(Str(raw, "review.commit_id"));
                review.PullRequest.Number.ShouldBe(Long(raw, "pull_request.number")!.Value);
                review.PullRequest.Head.Ref.ShouldBe(Str(raw, "pull_request.head.ref"));
                break;
            case PullRequestReviewCommentEvent reviewComment:
                reviewComment.Comment.Id.ShouldBe(Long(raw, "comment.id")!.Value);
                reviewComment.Comment.Body.ShouldBe(Str(raw, "comment.body"));
                reviewComment.Comment.Path.ShouldBe(Str(raw, "comment.path"));
                reviewComment.Comment.Line.ShouldBe((int?)Long(raw, "comment.line"));
                // One real example has no side, which Octokit.Webhooks declares required: it still parses.
                reviewComment.Comment.Side?.StringValue.ShouldBe(Str(raw, "comment.side"));
                reviewComment.Comment.CommitId.ShouldBe(Str(raw, "comment.commit_id"));
                reviewComment.Comment.PullRequestReviewId.ShouldBe(Long(raw, "comment.pull_request_review_id")!.Value);
                reviewComment.Comment.User.Login.ShouldBe(Str(raw, "comment.user.login"));
                reviewComment.PullRequest.Number.ShouldBe(Long(raw, "pull_request.number")!.Value);
                reviewComment.PullRequest.Head.Ref.ShouldBe(Str(raw, "pull_request.head.ref"));
                break;
            case InstallationEvent installation:
                installation.Installation.Id.ShouldBe(Long(raw, "installation.id")!.Value);
                installation.Installation.Account.Login.ShouldBe(Str(raw, "installation.account.login"));
                installation.Installation.AppId.ShouldBe(Long(raw, "installation.app_id")!.Value);
                installation.Installation.RepositorySelection.StringValue.ShouldBe(Str(raw, "installation.repository_selection"));
                (installation.Repositories ?? []).Select(r => r.FullName).ShouldBe(Names(raw, "repositories"));
                break;
            case InstallationRepositoriesEvent changed:
                changed.Installation.Id.ShouldBe(Long(raw, "installation.id")!.Value);
                changed.RepositorySelection.StringValue.ShouldBe(Str(raw, "repository_selection"));
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

        var parsed = WebhookEventParser.Parse("issues", JsonSerializer.SerializeToUtf8Bytes(json)).ShouldBeOfType<IssuesClosedEvent>();

        parsed.Action.ShouldBe("closed");
        parsed.Issue.State!.StringValue.ShouldBe("closed");
        parsed.Issue.Number.ShouldBe(json["issue"]!["number"]!.GetValue<long>());
    }

    [Fact]
    public void Pull_request_closed_with_merged_true_is_a_merge_and_with_false_is_not()
    {
        var json = ExampleWithAction("pull_request", "closed");
        json["pull_request"]!["merged"] = true;
        var merged = WebhookEventParser.Parse("pull_request", JsonSerializer.SerializeToUtf8Bytes(json)).ShouldBeAssignableTo<PullRequestEvent>()!;
        json["pull_request"]!["merged"] = false;
        var abandoned = WebhookEventParser.Parse("pull_request", JsonSerializer.SerializeToUtf8Bytes(json)).ShouldBeAssignableTo<PullRequestEvent>()!;

        merged.IsMerge.ShouldBeTrue();
        merged.PullRequest.Merged.ShouldBe(true);
        abandoned.IsMerge.ShouldBeFalse();
    }

    [Fact]
    public void A_payload_missing_a_member_Octokit_marks_required_still_parses()
    {
        // GitHub omits some members Octokit.Webhooks declares required (e.g. in deliveries from older GHES);
        // a delivery must not be lost over a field AgentMesh never reads.
        var json = ExampleWithAction("issues", "opened");
        json["issue"]!.AsObject().Remove("node_id");
        json["issue"]!.AsObject().Remove("events_url");

        var parsed = WebhookEventParser.Parse("issues", JsonSerializer.SerializeToUtf8Bytes(json)).ShouldBeOfType<IssuesOpenedEvent>();

        parsed.Issue.Number.ShouldBe(json["issue"]!["number"]!.GetValue<long>());
        parsed.Issue.NodeId.ShouldBeNull();
    }

    [Fact]
    public void An_unknown_event_is_an_unknown_marker_not_an_error()
    {
        var parsed = WebhookEventParser.Parse("workflow_run", """{"action":"completed","workflow_run":{"id":1}}"""u8);

        var unknown = parsed.ShouldBeOfType<UnknownWebhookEvent>();
        unknown.EventName.ShouldBe("workflow_run");
        unknown.RawAction.ShouldBe("completed");
        parsed.EventName.ShouldBe("workflow_run");
    }

    [Fact]
    public void An_action_GitHub_adds_later_is_unknown_rather_than_an_error()
    {
        var json = ExampleWithAction("issues", "opened");
        json["action"] = "teleported";

        var parsed = WebhookEventParser.Parse("issues", JsonSerializer.SerializeToUtf8Bytes(json));

        parsed.ShouldBeOfType<UnknownWebhookEvent>().RawAction.ShouldBe("teleported");
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

    private static void ShouldMatchIssue(Octokit.Webhooks.Models.Issue issue, JsonElement raw)
    {
        issue.Id.ShouldBe(raw.GetProperty("id").GetInt64());
        issue.Number.ShouldBe(raw.GetProperty("number").GetInt64());
        issue.Title.ShouldBe(Str(raw, "title"));
        issue.Body.ShouldBe(Str(raw, "body"));
        issue.State?.StringValue.ShouldBe(Str(raw, "state"));
        issue.User.Login.ShouldBe(Str(raw, "user.login"));
        (issue.Labels ?? []).Select(l => l.Name).ShouldBe(Find(raw, "labels")?.EnumerateArray().Select(l => l.GetProperty("name").GetString()!) ?? []);
        issue.Assignees.Select(a => a.Login).ShouldBe(Find(raw, "assignees")?.EnumerateArray().Select(a => a.GetProperty("login").GetString()!) ?? []);
        (issue.PullRequest is not null).ShouldBe(Find(raw, "pull_request") is not null);
    }

    private static void ShouldMatchPullRequest(Octokit.Webhooks.Models.PullRequestEvent.PullRequest pr, JsonElement raw)
    {
        pr.Id.ShouldBe(raw.GetProperty("id").GetInt64());
        pr.Number.ShouldBe(raw.GetProperty("number").GetInt64());
        pr.Title.ShouldBe(Str(raw, "title"));
        pr.Body.ShouldBe(Str(raw, "body"));
        pr.State.StringValue.ShouldBe(Str(raw, "state"));
        pr.Merged.ShouldBe(Find(raw, "merged")?.ValueKind is JsonValueKind.True or JsonValueKind.False ? raw.GetProperty("merged").GetBoolean() : null);
        pr.Head.Ref.ShouldBe(Str(raw, "head.ref"));
        pr.Head.Sha.ShouldBe(Str(raw, "head.sha"));
        pr.Head.Label.ShouldBe(Str(raw, "head.label"));
        pr.Head.Repo?.FullName.ShouldBe(Str(raw, "head.repo.full_name"));
        pr.Base.Ref.ShouldBe(Str(raw, "base.ref"));
        pr.User.Login.ShouldBe(Str(raw, "user.login"));
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
