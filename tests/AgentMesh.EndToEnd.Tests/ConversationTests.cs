using System.Net;
using AgentMesh.FakeModel;
using Shouldly;
using Xunit;
using static AgentMesh.EndToEnd.Tests.IssueToPullRequestTests;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>The conversation around a job: questions and answers, review rounds, the merge.</summary>
public sealed class ConversationTests
{
    private static readonly object AutoSolve = new { enabled = true, autoSolve = true, maxConcurrentJobs = 1, maxFixRounds = 2 };

    internal static ModelTurn CommitFile(string file, string content, string message) =>
        ModelTurn.Bash($"printf '{content}\\n' > {file} && git add {file} && git -c user.name=Agent -c user.email=agent@example.com commit -q -m '{message}'");

    [Fact]
    public async Task A_question_is_asked_on_the_issue_and_the_answer_resumes_the_job_to_a_pull_request()
    {
        await using var world = await World.StartAsync(
            ModelTurn.AskClarification("Which greeting should hello.txt hold?"),
            CommitFile("hello.txt", "hi there", "Add hello.txt with the greeting"),
            ModelTurn.PrReady("Added hello.txt with the greeting from the answer."));
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, AutoSolve);
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", "With a greeting.", World.Maintainer);

        await world.SendIssueOpenedAsync(node, issue);

        await world.WaitForJobStateAsync(node, "waiting_for_reply", issue.Number);
        await WaitForCommentAsync(world, issue.Number, c => c.Contains("Which greeting should hello.txt hold?", StringComparison.Ordinal));

        var answer = world.GitHub.AddComment(World.Repo, issue.Number, World.Maintainer, "Use 'hi there', please.");
        var status = await world.SendWebhookAsync(node, "issue_comment", world.GitHub.IssueCommentPayload(World.Repo, answer.Id, "created"));

        status.ShouldBe(HttpStatusCode.Accepted);
        await world.WaitForJobStateAsync(node, "pr_opened", issue.Number);
        world.Model.SawUserText("Use 'hi there', please.").ShouldBeTrue("the agent should be told the answer");
        world.ShowFile($"agentmesh/issue-{issue.Number}", "hello.txt").ShouldBe("hi there\n");
    }

    [Fact]
    public async Task A_review_with_inline_comments_arriving_while_its_fix_round_runs_makes_one_round_that_pushes_and_ends()
    {
        await using var world = await World.StartAsync(
            CommitFile("hello.txt", "hello", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."),
            CommitFile("hello.txt", "hello, world", "Say hello to the world"),
            ModelTurn.PrReady("Changed the greeting as the review asked."));
        // No settle delay: the inline comments arrive after a worker took the round and its agent runs.
        world.Settings["AGENTMESH_Jobs__ReviewSettleDelay"] = "00:00:00";
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, AutoSolve);
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        await world.SendIssueOpenedAsync(node, issue);
        var jobId = (await world.WaitForJobStateAsync(node, "pr_opened", issue.Number)).GetProperty("id").GetString()!;
        var branch = $"agentmesh/issue-{issue.Number}";
        var pullNumber = world.GitHub.State.Repositories[World.Repo].Issues.Single(i => i.PullRequest is not null).Number;

        await world.SendWebhookAsync(node, "pull_request_review", Payloads.Review(pullNumber, branch, World.Maintainer, "changes_requested", "Please greet the world."));
        await AgentMesh.Testing.Eventually.UntilAsync(() => world.Model.SawUserText("Please greet the world."), "the fix round's agent to get the review");
        (await world.SendWebhookAsync(node, "pull_request_review_comment", Payloads.ReviewComment(pullNumber, branch, World.Maintainer, 9001, "hello.txt", 1, "Say world here."))).ShouldBe(HttpStatusCode.Accepted);
        (await world.SendWebhookAsync(node, "pull_request_review_comment", Payloads.ReviewComment(pullNumber, branch, World.Maintainer, 9001, "hello.txt", 2, "And keep the newline."))).ShouldBe(HttpStatusCode.Accepted);

        await AgentMesh.Testing.Eventually.UntilAsync(
            async () =>
            {
                var actor = (await world.GetJsonAsync(node, $"/api/jobs/{jobId}")).GetProperty("actor");
                return actor.GetProperty("state").GetString() == "pr_opened" && actor.GetProperty("fixRounds").GetInt32() == 1;
            },
            "the one fix round to push and end with the job back in pr_opened",
            TimeSpan.FromMinutes(2));
        world.ShowFile(branch, "hello.txt").ShouldBe("hello, world\n");
        world.Model.SawUserText("Say world here.").ShouldBeFalse("the review's inline comments are not sent into the running agent as chat");
        var events = await world.GetJsonAsync(node, $"/api/jobs/{jobId}/events");
        var types = events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        types.Count(t => t == "fix_round_started").ShouldBe(1, "one review makes one fix round");
        types.Count(t => t == "review_feedback_gathered").ShouldBe(2);
        await WaitForCommentAsync(world, pullNumber, c => c.Contains("pushed a fix for the review feedback from @octo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Review_feedback_runs_a_fix_round_on_the_same_branch_and_a_merge_ends_the_job()
    {
        await using var world = await World.StartAsync(
            CommitFile("hello.txt", "hello", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."),
            CommitFile("hello.txt", "hello, world", "Say hello to the world"),
            ModelTurn.PrReady("Changed the greeting as the review asked."));
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, AutoSolve);
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        await world.SendIssueOpenedAsync(node, issue);
        var opened = await world.WaitForJobStateAsync(node, "pr_opened", issue.Number);
        var jobId = opened.GetProperty("id").GetString()!;
        var branch = $"agentmesh/issue-{issue.Number}";
        var pullNumber = world.GitHub.State.Repositories[World.Repo].Issues.Single(i => i.PullRequest is not null).Number;

        var status = await world.SendWebhookAsync(node, "pull_request_review", Payloads.Review(pullNumber, branch, World.Maintainer, "changes_requested", "Please greet the world."));

        status.ShouldBe(HttpStatusCode.Accepted);
        await AgentMesh.Testing.Eventually.UntilAsync(
            async () =>
            {
                var actor = (await world.GetJsonAsync(node, $"/api/jobs/{jobId}")).GetProperty("actor");
                return actor.GetProperty("fixRounds").GetInt32() == 1 && actor.GetProperty("state").GetString() == "pr_opened";
            },
            "the fix round to finish with the job back in pr_opened",
            TimeSpan.FromMinutes(2));
        world.ShowFile(branch, "hello.txt").ShouldBe("hello, world\n");
        world.Log(branch).ShouldStartWith("Say hello to the world\nAdd hello.txt\n");
        world.Model.SawUserText("Please greet the world.").ShouldBeTrue("the agent should get the review feedback");
        await WaitForCommentAsync(world, pullNumber, c => c.Contains("pushed a fix for the review feedback from @octo", StringComparison.Ordinal));
        world.GitHub.State.Repositories[World.Repo].Issues.Count(i => i.PullRequest is not null).ShouldBe(1, "a fix round pushes to the same PR");

        world.GitHub.MergePullRequest(World.Repo, pullNumber);
        await world.SendWebhookAsync(node, "pull_request", Payloads.Closed(pullNumber, branch, merged: true, World.Maintainer));

        await world.WaitForJobStateAsync(node, "merged", issue.Number);
    }
}
