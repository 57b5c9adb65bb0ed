using System.Net;
using System.Text.Json;
using AgentMesh.GitHub.Rest;
using AgentMesh.GitHub.Tests.Webhooks;
using AgentMesh.Testing;
using Octokit;
using Shouldly;
using GitHubClient = AgentMesh.GitHub.Rest.GitHubClient;

namespace AgentMesh.GitHub.Tests.Rest;

/// <summary>
/// The endpoints AgentMesh uses, through Octokit and our pipeline, against the fake GitHub over loopback
/// HTTP: proof that Octokit's requests and the fake's answers (GitHub's JSON) fit together.
/// </summary>
public sealed class GitHubClientEndpointTests : IAsyncLifetime
{
    private GitHubHarness _h = null!;

    private GitHubClient Client => _h.Client;

    private IGitHubClient Octo => _h.Client.Octokit;

    public async Task InitializeAsync() => _h = await GitHubHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task GetRepository_reads_the_repo_and_the_callers_permissions()
    {
        var repo = await Client.GetRepositoryAsync("octo", "widgets");

        repo.FullName.ShouldBe("octo/widgets");
        repo.Owner.Login.ShouldBe("octo");
        repo.DefaultBranch.ShouldBe("main");
        repo.CloneUrl.ShouldBe(_h.GitHub.GitUrl("octo/widgets").AbsoluteUri);
        repo.Permissions.Admin.ShouldBeTrue();
    }

    [Fact]
    public async Task GetBranchHead_reads_a_branch_by_its_exact_name_loose_or_packed_and_null_for_a_branch_that_is_not_there()
    {
        using var seed = new TempDirectory("agentmesh-ref-seed");
        var bare = _h.GitHub.State.Repositories["octo/widgets"].GitDirectory;
        GitTool.SeedRepository(bare, seed.Path);
        var main = GitTool.Run(bare, "rev-parse", "refs/heads/main").Trim();
        GitTool.Run(bare, "update-ref", "refs/heads/agentmesh/issue-10", main);
        GitTool.Run(bare, "pack-refs", "--all");
        GitTool.Run(seed.Path, "-c", "user.name=Octo", "-c", "user.email=octo@example.com", "commit", "--quiet", "--allow-empty", "-m", "Second");
        GitTool.Run(seed.Path, "push", "--quiet", bare, "main");
        var movedMain = GitTool.Run(bare, "rev-parse", "refs/heads/main").Trim();

        (await Client.GetBranchHeadAsync("octo", "widgets", "main")).ShouldBe(movedMain);
        (await Client.GetBranchHeadAsync("octo", "widgets", "agentmesh/issue-10")).ShouldBe(main);
        // Only an exact name counts: issue-1 is a prefix of issue-10, and GitHub's older git/refs path would list it.
        (await Client.GetBranchHeadAsync("octo", "widgets", "agentmesh/issue-1")).ShouldBeNull();
        movedMain.ShouldNotBe(main);
        _h.GitHub.Requests.Select(r => r.Path).ShouldContain("repos/octo/widgets/git/ref/heads/agentmesh/issue-1");
    }

    [Fact]
    public async Task CreateIssue_sends_GitHubs_body_and_GetIssue_reads_it_back()
    {
        var newIssue = new NewIssue("Crash on start") { Body = "Steps: run it" };
        newIssue.Labels.Add("bug");
        newIssue.Labels.Add("agent");
        var created = await Octo.Issue.Create("octo", "widgets", newIssue);
        var read = await Client.GetIssueAsync("octo", "widgets", created.Number);

        created.Number.ShouldBe(1);
        read.Title.ShouldBe("Crash on start");
        read.Body.ShouldBe("Steps: run it");
        read.State.Value.ShouldBe(ItemState.Open);
        read.User.Login.ShouldBe("octo");
        read.Labels.Select(l => l.Name).ShouldBe(["bug", "agent"]);
        var post = _h.GitHub.Requests.Single(r => r.Method == "POST");
        post.Path.ShouldBe("repos/octo/widgets/issues");
        using var body = JsonDocument.Parse(post.Body);
        body.RootElement.GetProperty("title").GetString().ShouldBe("Crash on start");
        body.RootElement.GetProperty("body").GetString().ShouldBe("Steps: run it");
        body.RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ShouldBe(["bug", "agent"]);
        post.Identity.ShouldBe("user:octo");
    }

    [Fact]
    public async Task The_token_travels_only_in_the_Authorization_header()
    {
        await Client.GetRepositoryAsync("octo", "widgets");
        await Octo.Issue.Create("octo", "widgets", new NewIssue("t"));

        _h.GitHub.Requests.Count.ShouldBe(2);
        _h.GitHub.Requests.ShouldAllBe(r => r.Identity == "user:octo");
        _h.GitHub.Requests.ShouldAllBe(r => !r.Path.Contains(_h.Token) && !r.Query.Contains(_h.Token) && !r.Body.Contains(_h.Token));
    }

    [Fact]
    public async Task A_bad_token_is_GitHubs_401_Bad_credentials()
    {
        var stranger = _h.Factory.ForToken("ghp_not_a_real_token");

        var error = await Should.ThrowAsync<AuthorizationException>(() => stranger.GetRepositoryAsync("octo", "widgets"));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.ApiError.Message.ShouldBe("Bad credentials");
        error.ApiError.DocumentationUrl.ShouldBe("https://docs.github.com/rest/overview/authenticating-to-the-rest-api");
    }

    [Fact]
    public async Task Comments_are_created_edited_and_listed()
    {
        var issue = _h.GitHub.CreateIssue("octo/widgets", "t", null, "alice");
        var first = await Client.CreateCommentAsync("octo", "widgets", issue.Number, "first");
        await Client.CreateCommentAsync("octo", "widgets", issue.Number, "second");
        var edited = await Client.UpdateCommentAsync("octo", "widgets", first.Id, "first, edited");

        var comments = await Client.ListIssueCommentsAsync("octo", "widgets", issue.Number);

        edited.Id.ShouldBe(first.Id);
        comments.Select(c => c.Body).ShouldBe(["first, edited", "second"]);
        comments.ShouldAllBe(c => c.User.Login == "octo");
    }

    [Fact]
    public async Task ListIssueComments_follows_the_Link_header_through_every_page()
    {
        var issue = _h.GitHub.CreateIssue("octo/widgets", "t", null, "alice");
        for (var i = 1; i <= 7; i++)
        {
            _h.GitHub.AddComment("octo/widgets", issue.Number, "alice", $"c{i}");
        }
        _h.Options.PageSize = 3;
        _h.GitHub.ClearRequests();

        var comments = await Client.ListIssueCommentsAsync("octo", "widgets", issue.Number);

        comments.Select(c => c.Body).ShouldBe(["c1", "c2", "c3", "c4", "c5", "c6", "c7"]);
        _h.GitHub.Requests.Select(r => r.Query).ShouldBe(
            ["?sort=created&direction=asc&per_page=3", "?sort=created&direction=asc&per_page=3&page=2", "?sort=created&direction=asc&per_page=3&page=3"]);
    }

    [Fact]
    public async Task Close_and_reopen_change_state_and_reason()
    {
        var issue = _h.GitHub.CreateIssue("octo/widgets", "t", null, "alice");

        var closed = await Octo.Issue.Update("octo", "widgets", issue.Number, new IssueUpdate { State = ItemState.Closed, StateReason = ItemStateReason.NotPlanned });
        closed.State.Value.ShouldBe(ItemState.Closed);
        closed.StateReason!.Value.Value.ShouldBe(ItemStateReason.NotPlanned);

        var reopened = await Octo.Issue.Update("octo", "widgets", issue.Number, new IssueUpdate { State = ItemState.Open, StateReason = ItemStateReason.Reopened });
        reopened.State.Value.ShouldBe(ItemState.Open);
        reopened.StateReason!.Value.Value.ShouldBe(ItemStateReason.Reopened);
    }

    [Fact]
    public async Task Labels_are_added_and_removed_and_removing_a_missing_one_is_GitHubs_404()
    {
        var issue = _h.GitHub.CreateIssue("octo/widgets", "t", null, "alice", "bug");

        var after = await Octo.Issue.Labels.AddToIssue("octo", "widgets", issue.Number, ["agent", "bug"]);
        await Octo.Issue.Labels.RemoveFromIssue("octo", "widgets", issue.Number, "bug");
        await Should.ThrowAsync<NotFoundException>(() => Octo.Issue.Labels.RemoveFromIssue("octo", "widgets", issue.Number, "bug"));

        after.Select(l => l.Name).ShouldBe(["bug", "agent"]);
        _h.GitHub.Issue("octo/widgets", issue.Number).Labels.Select(l => l.Name).ShouldBe(["agent"]);
    }

    [Fact]
    public async Task Pull_requests_are_created_found_by_head_and_read()
    {
        _h.GitHub.AddBranch("octo/widgets", "agentmesh/issue-1");

        var created = await Octo.PullRequest.Create("octo", "widgets", new NewPullRequest("Fix #1", "agentmesh/issue-1", "main") { Body = "Closes #1" });
        var found = await Client.FindOpenPullRequestAsync("octo", "widgets", "octo", "agentmesh/issue-1");
        var none = await Client.FindOpenPullRequestAsync("octo", "widgets", "octo", "other-branch");
        var read = await Client.GetPullRequestAsync("octo", "widgets", created.Number);

        found!.Number.ShouldBe(created.Number);
        none.ShouldBeNull();
        read.Head.Ref.ShouldBe("agentmesh/issue-1");
        read.Base.Ref.ShouldBe("main");
        read.Merged.ShouldBeFalse();
        read.Body.ShouldBe("Closes #1");
        var lookup = _h.GitHub.Requests.First(r => r.Path == "repos/octo/widgets/pulls" && r.Method == "GET").Query;
        lookup.ShouldContain("head=octo%3Aagentmesh%2Fissue-1");
        lookup.ShouldContain("state=open");
    }

    [Fact]
    public async Task Creating_a_second_pull_request_for_the_same_head_is_GitHubs_422()
    {
        _h.GitHub.AddBranch("octo/widgets", "b");
        await Octo.PullRequest.Create("octo", "widgets", new NewPullRequest("one", "b", "main"));

        var error = await Should.ThrowAsync<ApiValidationException>(() => Octo.PullRequest.Create("octo", "widgets", new NewPullRequest("two", "b", "main")));

        error.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.ApiError.Message.ShouldBe("Validation Failed");
        var detail = error.ApiError.Errors.ShouldHaveSingleItem();
        detail.Resource.ShouldBe("PullRequest");
        detail.Code.ShouldBe("custom");
        detail.Message.ShouldBe("A pull request already exists for octo:b.");
    }

    [Fact]
    public async Task A_review_with_inline_comments_by_line_and_side_is_created_through_Octokits_connection()
    {
        var pr = _h.GitHub.CreatePullRequest("octo/widgets", "feature", "main", "Feature", "alice");

        var review = await Client.CreateReviewAsync("octo", "widgets", pr.Number, new NewLineReview(
            "REQUEST_CHANGES", "Two things", [new NewLineReviewComment("src/a.cs", 3, "Null check"), new NewLineReviewComment("src/b.cs", 9, "Typo", "LEFT")]));
        var comments = await Octo.PullRequest.ReviewComment.GetAll("octo", "widgets", pr.Number);

        review.State.Value.ShouldBe(PullRequestReviewState.ChangesRequested);
        review.Body.ShouldBe("Two things");
        comments.Select(c => (c.Path, c.Body, c.PullRequestReviewId)).ShouldBe([("src/a.cs", "Null check", review.Id), ("src/b.cs", "Typo", review.Id)]);
        // Octokit's model has no line or side; the fake stored what GitHub would have.
        _h.GitHub.Issue("octo/widgets", pr.Number).PullRequest!.ReviewComments.Select(c => (c.Path, c.Line, c.Side)).ShouldBe(
            [("src/a.cs", 3, "RIGHT"), ("src/b.cs", 9, "LEFT")]);
        using var body = JsonDocument.Parse(_h.GitHub.Requests.Single(r => r.Method == "POST").Body);
        body.RootElement.GetProperty("event").GetString().ShouldBe("REQUEST_CHANGES");
        var first = body.RootElement.GetProperty("comments")[0];
        first.GetProperty("line").GetInt32().ShouldBe(3);
        first.GetProperty("side").GetString().ShouldBe("RIGHT");
        first.TryGetProperty("position", out _).ShouldBeFalse();
        first.TryGetProperty("start_line", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_comment_review_without_a_body_is_GitHubs_422()
    {
        var pr = _h.GitHub.CreatePullRequest("octo/widgets", "feature", "main", "Feature", "alice");

        var error = await Should.ThrowAsync<ApiValidationException>(() => Client.CreateReviewAsync("octo", "widgets", pr.Number, new NewLineReview("COMMENT")));

        error.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.HttpResponse.Body.ToString()!.ShouldContain("Review Can not comment without a body");
    }

    [Fact]
    public async Task The_users_repositories_are_listed()
    {
        _h.GitHub.CreateRepo("octo", "gadgets");
        _h.GitHub.CreateRepo("someone", "else");

        var repos = await Octo.Repository.GetAllForCurrent();

        repos.Select(r => r.FullName).ShouldBe(["octo/widgets", "octo/gadgets"]);
    }

    [Fact]
    public async Task Invitations_are_listed_and_accepting_one_grants_its_permission()
    {
        _h.GitHub.CreateRepo("acme", "api");
        var invitation = _h.GitHub.InviteCollaborator("acme/api", "octo", "write");

        var invitations = await Client.ListRepositoryInvitationsAsync();
        await Client.AcceptRepositoryInvitationAsync(invitations.Single().Id);
        var permission = await Client.GetRepositoryPermissionAsync("acme", "api", "octo");

        invitations.Single().Id.ShouldBe(invitation.Id);
        invitations.Single().Repository.FullName.ShouldBe("acme/api");
        invitations.Single().Permissions.StringValue.ShouldBe("write");
        (await Client.ListRepositoryInvitationsAsync()).ShouldBeEmpty();
        permission.Permission.ShouldBe("write");
    }

    [Fact]
    public async Task Repository_permission_of_owner_collaborator_and_stranger()
    {
        _h.GitHub.AddCollaborator("octo/widgets", "bob", "triage");
        _h.GitHub.CreateUser("eve");

        (await Client.GetRepositoryPermissionAsync("octo", "widgets", "octo")).Permission.ShouldBe("admin");
        var bob = await Client.GetRepositoryPermissionAsync("octo", "widgets", "bob");
        bob.Permission.ShouldBe("read");
        bob.RoleName.ShouldBe("triage");
        bob.Collaborator.Login.ShouldBe("bob");
        (await Client.GetRepositoryPermissionAsync("octo", "widgets", "eve")).Permission.ShouldBe("read");
    }

    [Fact]
    public async Task Organization_membership_is_true_for_members_and_false_otherwise()
    {
        _h.GitHub.AddOrganizationMember("acme", "alice");

        (await Octo.Organization.Member.CheckMember("acme", "alice")).ShouldBeTrue();
        (await Octo.Organization.Member.CheckMember("acme", "mallory")).ShouldBeFalse();
    }

    [Fact]
    public async Task The_authenticated_user_and_the_rate_limit_are_read()
    {
        var user = await Octo.User.Current();
        var limit = await Octo.RateLimit.GetRateLimits();

        user.Login.ShouldBe("octo");
        limit.Resources.Core.Limit.ShouldBe(5000);
        // GET /user spent one; GET /rate_limit is free.
        limit.Resources.Core.Remaining.ShouldBe(4999);
        Client.RateLimit.Current!.Remaining.ShouldBe(4999);
        Client.RateLimit.Current.ResetAt.ShouldBe(_h.Time.GetUtcNow() + TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task A_created_webhook_delivers_signed_events_the_endpoint_accepts()
    {
        var inbox = new InMemoryWebhookInbox();
        await using var node = await WebhookTestHost.StartAsync(inbox, o => o.RepositorySecrets["octo/widgets"] = "hook-secret");

        var request = new NewRepositoryWebHook("web", new Dictionary<string, string>(), node.Url.AbsoluteUri)
        {
            Events = ["issues", "issue_comment"],
            Active = true,
            ContentType = WebHookContentType.Json,
            Secret = "hook-secret",
        };
        var hook = await Octo.Repository.Hooks.Create("octo", "widgets", request.ToRequest());
        var issue = _h.GitHub.CreateIssue("octo/widgets", "Bug", "It breaks", "alice");
        var statuses = await _h.GitHub.DeliverAsync("octo/widgets", "issues", _h.GitHub.IssuesPayload("octo/widgets", issue.Number, "opened", "alice"));

        hook.Name.ShouldBe("web");
        hook.Active.ShouldBeTrue();
        hook.Events.ShouldBe(["issues", "issue_comment"]);
        hook.Config["url"].ShouldBe(node.Url.AbsoluteUri);
        hook.Config["content_type"].ShouldBe("json");
        JsonDocument.Parse(_h.GitHub.Requests.Single(r => r.Method == "POST").Body).RootElement.GetProperty("config").GetProperty("secret").GetString().ShouldBe("hook-secret");
        statuses.ShouldBe([HttpStatusCode.Accepted]);
        var stored = inbox.All.Single();
        stored.Event.ShouldBe("issues");
        stored.Action.ShouldBe("opened");
        stored.Repository.ShouldBe("octo/widgets");
    }
}
