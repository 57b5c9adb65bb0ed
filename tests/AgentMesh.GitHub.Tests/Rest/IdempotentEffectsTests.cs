using AgentMesh.GitHub.Rest;
using Octokit;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Rest;

/// <summary>Effects a retried job may repeat without duplicating: ensuring a PR, upserting its status comment.</summary>
public sealed class IdempotentEffectsTests : IAsyncLifetime
{
    private GitHubHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await GitHubHarness.StartAsync();
        _h.GitHub.AddBranch("octo/widgets", "agentmesh/issue-7");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static NewPullRequest Pr => new("Fix #7", "agentmesh/issue-7", "main") { Body = "Closes #7" };

    [Fact]
    public async Task EnsurePullRequest_creates_once_and_then_returns_the_same_pull_request()
    {
        var first = await _h.Client.EnsurePullRequestAsync("octo", "widgets", "octo", Pr);
        var second = await _h.Client.EnsurePullRequestAsync("octo", "widgets", "octo", Pr);

        first.Created.ShouldBeTrue();
        second.Created.ShouldBeFalse();
        second.PullRequest.Number.ShouldBe(first.PullRequest.Number);
        _h.GitHub.State.Repositories["octo/widgets"].Issues.Count(i => i.PullRequest is not null).ShouldBe(1);
        _h.GitHub.Requests.Count(r => r.Method == "POST").ShouldBe(1);
    }

    [Fact]
    public async Task EnsurePullRequest_that_loses_the_race_to_create_falls_back_to_the_winners_pull_request()
    {
        var winner = 0;
        _h.GitHub.BeforeNext("POST", "repos/octo/widgets/pulls", github => winner = github.CreatePullRequest("octo/widgets", "agentmesh/issue-7", "main", "theirs", "octo").Number);

        var ensured = await _h.Client.EnsurePullRequestAsync("octo", "widgets", "octo", Pr);

        ensured.Created.ShouldBeFalse();
        ensured.PullRequest.Number.ShouldBe(winner);
        ensured.PullRequest.Title.ShouldBe("theirs");
        _h.GitHub.Requests.Select(r => (r.Method, r.StatusCode)).ShouldBe([("GET", 200), ("POST", 422), ("GET", 200)]);
    }

    [Fact]
    public async Task A_closed_pull_request_on_the_branch_does_not_count_and_a_new_one_is_opened()
    {
        var old = _h.GitHub.CreatePullRequest("octo/widgets", "agentmesh/issue-7", "main", "old", "octo");
        _h.GitHub.MergePullRequest("octo/widgets", old.Number);

        var ensured = await _h.Client.EnsurePullRequestAsync("octo", "widgets", "octo", Pr);

        ensured.Created.ShouldBeTrue();
        ensured.PullRequest.Number.ShouldNotBe(old.Number);
    }

    [Fact]
    public async Task UpsertStatusComment_posts_once_edits_in_place_and_skips_an_unchanged_body()
    {
        var issue = _h.GitHub.CreateIssue("octo/widgets", "Bug", null, "alice");
        _h.GitHub.AddComment("octo/widgets", issue.Number, "alice", "Please fix");
        _h.GitHub.AddComment("octo/widgets", issue.Number, "octo", StatusCommentMarker.For("job-other") + "\nanother job's status");

        var posted = await _h.Client.UpsertStatusCommentAsync("octo", "widgets", issue.Number, "job-1", "Working on it");
        var edited = await _h.Client.UpsertStatusCommentAsync("octo", "widgets", issue.Number, "job-1", "PR opened: #2");
        _h.GitHub.ClearRequests();
        var unchanged = await _h.Client.UpsertStatusCommentAsync("octo", "widgets", issue.Number, "job-1", "PR opened: #2");

        posted.Body.ShouldBe("<!-- agentmesh:job=job-1 -->\nWorking on it");
        edited.Id.ShouldBe(posted.Id);
        unchanged.Id.ShouldBe(posted.Id);
        _h.GitHub.Requests.ShouldAllBe(r => r.Method == "GET");
        _h.GitHub.Comments("octo/widgets", issue.Number).Select(c => c.Body).ShouldBe(
            ["Please fix", "<!-- agentmesh:job=job-other -->\nanother job's status", "<!-- agentmesh:job=job-1 -->\nPR opened: #2"]);
    }

    [Fact]
    public void A_job_id_that_could_close_the_html_comment_is_refused() =>
        Should.Throw<ArgumentException>(() => StatusCommentMarker.For("x-->y")).Message.ShouldStartWith("A job id in a marker must not contain '--' or '>'");
}
