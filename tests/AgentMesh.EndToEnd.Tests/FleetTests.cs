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
}
