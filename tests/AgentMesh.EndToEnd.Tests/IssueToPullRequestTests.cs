using System.Net;
using AgentMesh.FakeModel;
using Shouldly;
using Xunit;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>The job AgentMesh exists for: an issue becomes a pull request, with the conversation around it.</summary>
public sealed class IssueToPullRequestTests
{
    private static readonly object AutoSolve = new { enabled = true, autoSolve = true, maxConcurrentJobs = 1 };

    private static ModelTurn CommitFile(string file, string content, string message) =>
        ModelTurn.Bash($"printf '{content}\\n' > {file} && git add {file} && git -c user.name=Agent -c user.email=agent@example.com commit -q -m '{message}'");

    [Fact]
    public async Task An_opened_issue_becomes_a_pull_request_whose_branch_holds_the_agents_commit()
    {
        await using var world = await World.StartAsync(
            CommitFile("hello.txt", "hello, widgets", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt as the issue asks."));
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, AutoSolve);
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", "Please add hello.txt.", World.Maintainer);

        var status = await world.SendIssueOpenedAsync(node, issue);

        status.ShouldBe(HttpStatusCode.Accepted);
        var job = await world.WaitForJobStateAsync(node, "pr_opened", issue.Number);
        var branch = $"agentmesh/issue-{issue.Number}";
        world.ShowFile(branch, "hello.txt").ShouldBe("hello, widgets\n");
        world.Log(branch).ShouldContain("Add hello.txt");

        var pullRequest = world.GitHub.State.Repositories[World.Repo].Issues.Single(i => i.PullRequest is not null);
        pullRequest.PullRequest!.Head.ShouldBe(branch);
        pullRequest.Title.ShouldBe("Add a hello file");
        pullRequest.Body.ShouldNotBeNull().ShouldContain($"Fixes #{issue.Number}");
        pullRequest.Body.ShouldContain("Added hello.txt as the issue asks.");
        pullRequest.Body.ShouldContain("`hello.txt`");
        pullRequest.Body.ShouldContain("Tokens:");

        var comment = await WaitForCommentAsync(world, issue.Number, c => c.Contains($"#{pullRequest.Number}", StringComparison.Ordinal));
        comment.ShouldContain("Tokens:");
        job.GetProperty("prUrl").GetString().ShouldNotBeNullOrEmpty();

        // The last lines of a run are stored before the outcome's turn gives up the lease.
        var log = await world.GetJsonAsync(node, $"/api/jobs/{job.GetProperty("id").GetString()}/logs?tail=5");
        log.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()).ShouldContain("outcome: pr_ready: The agent declared pr_ready.");
    }

    [Fact]
    public async Task A_status_comment_GitHub_refused_is_posted_once_when_the_jobs_effects_grain_tries_it_again()
    {
        await using var world = await World.StartAsync(
            CommitFile("hello.txt", "hello, widgets", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt as the issue asks."));
        world.Settings["AGENTMESH_GitHub__Rest__RetryBaseDelay"] = "00:00:00.010";
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, AutoSolve);
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", "Please add hello.txt.", World.Maintainer);
        // The status comment's first try fails past the client's own retries: the effect is retried later, by
        // the job's effects grain when its reminder comes (no node polls the outbox).
        world.GitHub.BeforeNext("POST", $"repos/{World.Repo}/issues/{issue.Number}/comments", github =>
            github.FailNext($"repos/{World.Repo}/issues/{issue.Number}/comments", count: 5));

        await world.SendIssueOpenedAsync(node, issue);

        await world.WaitForJobStateAsync(node, "pr_opened", issue.Number);
        var pullRequest = world.GitHub.State.Repositories[World.Repo].Issues.Single(i => i.PullRequest is not null);
        await WaitForCommentAsync(world, issue.Number, c => c.Contains($"#{pullRequest.Number}", StringComparison.Ordinal));
        world.GitHub.Comments(World.Repo, issue.Number).ShouldHaveSingleItem("the retried status comment is posted once");
    }

    [Fact]
    public async Task A_retry_after_the_pull_requests_answer_was_lost_resumes_at_the_pull_request_without_running_the_agent_again()
    {
        await using var world = await World.StartAsync(
            CommitFile("hello.txt", "hello, widgets", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt as the issue asks."));
        world.Settings["AGENTMESH_GitHub__Rest__RetryBaseDelay"] = "00:00:00.010";
        world.Settings["AGENTMESH_Jobs__Retry__BaseDelay"] = "00:00:01";
        world.Settings["AGENTMESH_Jobs__Retry__MaxDelay"] = "00:00:02";
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, AutoSolve);
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", "Please add hello.txt.", World.Maintainer);
        var branch = $"agentmesh/issue-{issue.Number}";
        // GitHub opens the pull request, but its answer is lost to 502s, past the client's own retries.
        world.GitHub.BeforeNext("POST", $"repos/{World.Repo}/pulls", github =>
        {
            github.CreatePullRequest(World.Repo, branch, "main", "Add a hello file", World.Bot);
            github.FailNext($"repos/{World.Repo}/pulls", count: 5);
        });

        await world.SendIssueOpenedAsync(node, issue);

        var job = await world.WaitForJobStateAsync(node, "pr_opened", issue.Number);
        job.GetProperty("attempt").GetInt32().ShouldBe(2, "the first attempt failed after the push");
        var pulls = world.GitHub.State.Repositories[World.Repo].Issues.Where(i => i.PullRequest is not null).ToList();
        pulls.ShouldHaveSingleItem().PullRequest!.Head.ShouldBe(branch);
        await WaitForCommentAsync(world, issue.Number, c => c.Contains($"#{pulls[0].Number}", StringComparison.Ordinal));
        var comments = world.GitHub.Comments(World.Repo, issue.Number).Select(c => c.Body).ToList();
        comments.ShouldHaveSingleItem("one comment links the pull request, and none says the job could not finish");
        world.Log(branch).ShouldStartWith("Add hello.txt\n", Case.Sensitive, "the branch holds the first attempt's one commit");
        var log = await world.GetJsonAsync(node, $"/api/jobs/{job.GetProperty("id").GetString()}/logs?tail=200");
        var lines = log.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()!).ToList();
        lines.Count(l => l == "starting the agent").ShouldBe(1, "the agent runs once; the retry resumes at the pull request");
        lines.ShouldContain(l => l.Contains("resuming at the pull request", StringComparison.Ordinal));
    }

    internal static async Task<string> WaitForCommentAsync(World world, int number, Func<string, bool> match)
    {
        string? found = null;
        await AgentMesh.Testing.Eventually.UntilAsync(
            () => (found = world.GitHub.Comments(World.Repo, number).Select(c => c.Body).FirstOrDefault(match)) is not null,
            $"a comment on #{number} matching the expectation (comments: {string.Join(" | ", world.GitHub.Comments(World.Repo, number).Select(c => c.Body))})");
        return found!;
    }
}
