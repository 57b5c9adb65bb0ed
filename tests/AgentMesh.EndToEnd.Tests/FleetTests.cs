using System.Text.Json;
using AgentMesh.FakeModel;
using AgentMesh.Testing.Postgres;
using Shouldly;
using Xunit;
using static AgentMesh.EndToEnd.Tests.ConversationTests;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>Several nodes sharing one PostgreSQL: one takes webhooks, another runs the agents.</summary>
public sealed class FleetTests
{
    [Fact]
    public async Task A_web_node_and_a_worker_node_on_one_postgres_turn_an_issue_into_a_pull_request()
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var world = await World.StartAsync(
            CommitFile("hello.txt", "hello from the fleet", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."));
        world.Settings["AGENTMESH_Store__Provider"] = "postgres";
        world.Settings["AGENTMESH_Store__ConnectionString"] = connectionString;
        world.Settings["AGENTMESH_Node__HeartbeatInterval"] = "00:00:01";
        var web = await world.StartNodeAsync("web-1", new Dictionary<string, string> { ["AGENTMESH_Node__Roles"] = "web" });
        var worker = await world.StartNodeAsync("worker-1", new Dictionary<string, string> { ["AGENTMESH_Node__Roles"] = "worker" });
        await world.ConfigureRepoAsync(web, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);

        await world.SendIssueOpenedAsync(web, issue);

        var job = await world.WaitForJobStateAsync(web, "pr_opened", issue.Number);
        var events = await world.GetJsonAsync(web, $"/api/jobs/{job.GetProperty("id").GetString()}/events");
        var claim = events.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "job_claimed");
        claim.GetProperty("data").GetProperty("workerId").GetString().ShouldStartWith("worker-1/", Case.Sensitive, "only the worker node runs agents");
        world.ShowFile($"agentmesh/issue-{issue.Number}", "hello.txt").ShouldBe("hello from the fleet\n");

        var nodes = await world.GetJsonAsync(web, "/api/nodes");
        var list = (nodes.ValueKind == JsonValueKind.Array ? nodes : nodes.GetProperty("nodes")).EnumerateArray().ToList();
        list.Select(n => n.GetProperty("nodeId").GetString()).Order(StringComparer.Ordinal).ShouldBe(["web-1", "worker-1"]);
        worker.Output.ShouldContain("AgentMesh node worker-1 (worker)", Case.Sensitive, worker.Output[..Math.Min(3000, worker.Output.Length)]);
        web.Output.ShouldContain("AgentMesh node web-1 (web)");
    }

    [Fact]
    public async Task A_worker_silo_killed_while_its_agent_runs_hands_the_job_to_the_other_worker_as_its_next_attempt()
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var world = await World.StartAsync(
            ModelTurn.Stall(),
            CommitFile("hello.txt", "hello from the survivor", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."));
        world.Settings["AGENTMESH_Store__Provider"] = "postgres";
        world.Settings["AGENTMESH_Store__ConnectionString"] = connectionString;
        // Leases far longer than the test: only Orleans declaring the silo dead can hand the job back in time.
        world.Settings["AGENTMESH_Node__LeaseDuration"] = "00:10:00";
        world.Settings["AGENTMESH_Node__RescueBackoff"] = "00:00:01";
        var web = await world.StartNodeAsync("web-1", new Dictionary<string, string> { ["AGENTMESH_Node__Roles"] = "web" });
        var workers = new Dictionary<string, AgentMesh.Testing.AgentMeshProgram>
        {
            ["worker-1"] = await world.StartNodeAsync("worker-1", new Dictionary<string, string> { ["AGENTMESH_Node__Roles"] = "worker" }),
            ["worker-2"] = await world.StartNodeAsync("worker-2", new Dictionary<string, string> { ["AGENTMESH_Node__Roles"] = "worker" }),
        };
        await world.ConfigureRepoAsync(web, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        await world.SendIssueOpenedAsync(web, issue);
        await AgentMesh.Testing.Eventually.UntilAsync(() => world.Model.StalledCount == 1, "the first worker's agent to be waiting on the model", TimeSpan.FromMinutes(2));
        var running = await world.WaitForJobStateAsync(web, "running", issue.Number);
        var holder = running.GetProperty("leaseOwner").GetString()!.Split('/')[0];
        var survivor = workers.Keys.Single(k => k != holder);

        await workers[holder].KillAsync();

        var job = await world.WaitForJobStateAsync(web, "pr_opened", issue.Number, TimeSpan.FromMinutes(2));
        job.GetProperty("attempt").GetInt32().ShouldBe(2, "the killed worker's attempt counts; the survivor's is the next");
        var events = await world.GetJsonAsync(web, $"/api/jobs/{job.GetProperty("id").GetString()}/events");
        var claims = events.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "job_claimed").ToList();
        claims.Select(c => c.GetProperty("data").GetProperty("workerId").GetString()!.Split('/')[0]).ShouldBe([holder, survivor]);
        world.ShowFile($"agentmesh/issue-{issue.Number}", "hello.txt").ShouldBe("hello from the survivor\n");
        world.GitHub.State.Repositories[World.Repo].Issues.Count(i => i.PullRequest is not null).ShouldBe(1, "exactly one pull request");
        await IssueToPullRequestTests.WaitForCommentAsync(world, issue.Number, c => c.Contains("I opened a pull request", StringComparison.Ordinal));
        world.GitHub.Comments(World.Repo, issue.Number).Count.ShouldBe(1, "no duplicate comment");
        web.Output.ShouldContain($"Silo {holder} was declared dead", Case.Sensitive, "the web node saw the death through Orleans membership");
    }
}
