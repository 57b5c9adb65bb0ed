using System.Net.Http.Headers;
using System.Text.Json;
using AgentMesh.FakeModel;
using AgentMesh.Testing;
using Shouldly;
using Xunit;
using static AgentMesh.EndToEnd.Tests.ConversationTests;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>A running agent is stopped when its issue is closed or a person stops it, and a node shutting down hands its job back.</summary>
public sealed class StoppingTests
{
    [Fact]
    public async Task Closing_the_issue_closes_the_job_and_stops_its_running_agent()
    {
        await using var world = await World.StartAsync(ModelTurn.Stall());
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        await world.SendIssueOpenedAsync(node, issue);
        await Eventually.UntilAsync(() => world.Model.StalledCount == 1, "the agent to be waiting on the model");

        await world.SendWebhookAsync(node, "issues", world.GitHub.IssuesPayload(World.Repo, issue.Number, "closed", World.Maintainer));

        var job = await world.WaitForJobStateAsync(node, "closed", issue.Number);
        job.GetProperty("leaseOwner").ValueKind.ShouldBe(JsonValueKind.Null);
        await Eventually.UntilAsync(() => world.Model.StalledCount == 0, "the agent to be stopped (its request to the model dropped)");
        world.GitHub.State.Repositories[World.Repo].Issues.Count(i => i.PullRequest is not null).ShouldBe(0);
    }

    [Fact]
    public async Task A_person_stopping_the_job_stops_its_agent_and_a_retry_runs_it_again()
    {
        await using var world = await World.StartAsync(
            ModelTurn.Stall(),
            CommitFile("hello.txt", "hello", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."));
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        await world.SendIssueOpenedAsync(node, issue);
        var running = await world.WaitForJobStateAsync(node, "running", issue.Number);
        var jobId = running.GetProperty("id").GetString()!;
        await Eventually.UntilAsync(() => world.Model.StalledCount == 1, "the agent to be waiting on the model");

        await PostAsync(world, node, $"/api/jobs/{jobId}/stop");

        await world.WaitForJobStateAsync(node, "stopped", issue.Number);
        await Eventually.UntilAsync(() => world.Model.StalledCount == 0, "the agent to be stopped (its request to the model dropped)");

        await PostAsync(world, node, $"/api/jobs/{jobId}/retry");

        var done = await world.WaitForJobStateAsync(node, "pr_opened", issue.Number);
        done.GetProperty("attempt").GetInt32().ShouldBe(1, "a re-run starts a new run at attempt 1\n" + await world.DescribeJobAsync(node, jobId));
        world.ShowFile($"agentmesh/issue-{issue.Number}", "hello.txt").ShouldBe("hello\n");
    }

    [Fact]
    public async Task A_node_asked_to_stop_lets_its_agent_run_out_the_grace_period_then_hands_the_job_back()
    {
        await using var world = await World.StartAsync(
            ModelTurn.Stall(),
            CommitFile("hello.txt", "hello", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."));
        world.Settings["AGENTMESH_Worker__ShutdownGrace"] = "00:00:01";
        world.Settings["AGENTMESH_Jobs__Retry__BaseDelay"] = "00:00:01";
        world.Settings["AGENTMESH_Jobs__Retry__MaxDelay"] = "00:00:01";
        var first = await world.StartNodeAsync("node-a");
        await world.ConfigureRepoAsync(first, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        await world.SendIssueOpenedAsync(first, issue);
        await world.WaitForJobStateAsync(first, "running", issue.Number);
        await Eventually.UntilAsync(() => world.Model.StalledCount == 1, "the agent to be waiting on the model");

        await first.SignalAsync("TERM");

        (await first.WaitForExitAsync()).ShouldBe(0, first.Output);
        first.Output.ShouldContain("handed back for another node");
        var second = await world.StartNodeAsync("node-b");
        var job = await world.WaitForJobStateAsync(second, "pr_opened", issue.Number);
        job.GetProperty("attempt").GetInt32().ShouldBe(2, "the handed-back claim counts as an attempt");
    }

    internal static async Task PostAsync(World world, AgentMeshProgram node, string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", World.AdminToken);
        using var response = await http.SendAsync(request);
        response.IsSuccessStatusCode.ShouldBeTrue($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
