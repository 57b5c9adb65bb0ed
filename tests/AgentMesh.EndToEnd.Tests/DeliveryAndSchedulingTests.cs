using System.Text.RegularExpressions;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using System.Net;
using System.Text.Json;
using AgentMesh.FakeModel;
using Shouldly;
using Xunit;
using static AgentMesh.EndToEnd.Tests.ConversationTests;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>Duplicate deliveries, per-repo concurrency, and a node that dies mid-job.</summary>
public sealed class DeliveryAndSchedulingTests
{
    [Fact]
    public async Task The_same_delivery_sent_three_times_makes_one_job_and_one_pull_request()
    {
        await using var world = await World.StartAsync(
            CommitFile("hello.txt", "hello", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."));
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        var payload = world.GitHub.IssuesPayload(World.Repo, issue.Number, "opened", World.Maintainer);
        var deliveryId = Guid.NewGuid().ToString();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add(await world.SendWebhookAsync(node, "issues", payload, deliveryId));
        }

        statuses.ShouldBe([HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.OK]);
        await world.WaitForJobStateAsync(node, "pr_opened", issue.Number);
        (await world.JobsAsync(node)).Count.ShouldBe(1);
        world.GitHub.State.Repositories[World.Repo].Issues.Count(i => i.PullRequest is not null).ShouldBe(1);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Agents_that_finish_the_moment_they_start_each_run_once()
    {
        // An agent that ends at once ends its run while the run's watcher may still be reading the job. The watcher
        // must stop cleanly then: once, its disposal failed the run, and the retry ran the agent a second time.
        await using var world = await World.StartAsync();
        var runs = world.Directory.Combine("runs.txt");
        var agent = world.Directory.Combine("quick-agent.sh");
        await File.WriteAllTextAsync(agent, $$"""
            #!/bin/bash
            grep -o -m 1 'quick-[0-9]*' "$AGENTMESH_PROMPT_FILE" | head -n 1 >> {{runs}}
            printf '%s\n' '```json' '{"agentmesh":"needs_clarification","questions":["Nothing to do."]}' '```'

            """);
        File.SetUnixFileMode(agent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        world.Settings["AGENTMESH_Agents__Profiles__claude__Cli"] = "Command";
        world.Settings["AGENTMESH_Agents__Profiles__claude__Command"] = agent;
        // PostgreSQL: its reads give way to cancellation mid-query, which is when the watcher was caught out.
        world.Settings["AGENTMESH_Store__Provider"] = "postgres";
        world.Settings["AGENTMESH_Store__ConnectionString"] = await PostgresServer.Shared.CreateDatabaseAsync();
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true, maxConcurrentJobs = 2 });
        const int Jobs = 40;
        for (var i = 1; i <= Jobs; i++)
        {
            await world.SendIssueOpenedAsync(node, world.GitHub.CreateIssue(World.Repo, $"Task quick-{i}", null, World.Maintainer));
        }

        await Eventually.UntilAsync(
            async () => (await world.JobsAsync(node)).Count(j => j.GetProperty("state").GetString() is "waiting_for_reply" or "failed") == Jobs,
            $"all {Jobs} jobs to ask their question",
            TimeSpan.FromMinutes(3));

        var jobs = await world.JobsAsync(node);
        jobs.Where(j => j.GetProperty("state").GetString() != "waiting_for_reply" || j.GetProperty("attempt").GetInt32() != 1)
            .Select(j => $"#{j.GetProperty("number").GetInt32()} {j.GetProperty("state").GetString()} attempt {j.GetProperty("attempt").GetInt32()}")
            .ShouldBeEmpty("every job asks its question from its first attempt");
        (await File.ReadAllLinesAsync(runs)).Order(StringComparer.Ordinal)
            .ShouldBe(Enumerable.Range(1, Jobs).Select(i => $"quick-{i}").Order(StringComparer.Ordinal), "each agent ran once");
    }

    [Fact]
    public async Task A_delivery_acknowledged_right_before_the_node_is_killed_is_processed_after_the_restart()
    {
        await using var world = await World.StartAsync(
            CommitFile("hello.txt", "hello", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."));
        // The delivery grain's safety-net reminder: how soon after the restart the delivery is finished.
        world.Settings["AGENTMESH_Grains__DeliveryReminderPeriod"] = "00:00:02";
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        // Processing asks GitHub whether the author may write; holding that answer keeps the
        // delivery acknowledged but unprocessed when the node dies.
        var hold = world.GitHub.HoldNext($"repos/{World.Repo}/collaborators");

        (await world.SendIssueOpenedAsync(node, issue)).ShouldBe(HttpStatusCode.Accepted);
        await Eventually.WithinAsync(hold.Arrived, "the delivery's processing to reach GitHub", TimeSpan.FromSeconds(30));
        (await world.JobsAsync(node)).ShouldBeEmpty("the delivery is not processed yet when the node dies");
        await node.KillAsync();
        hold.Release();

        var restarted = await world.StartNodeAsync();

        await world.WaitForJobStateAsync(restarted, "pr_opened", issue.Number);
        (await world.JobsAsync(restarted)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Two_issues_in_a_repo_limited_to_one_job_run_one_after_the_other()
    {
        await using var world = await World.StartAsync(
            CommitFile("one.txt", "one", "Add one.txt"),
            ModelTurn.PrReady("Added a file."),
            CommitFile("two.txt", "two", "Add two.txt"),
            ModelTurn.PrReady("Added a file."));
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true, maxConcurrentJobs = 1 });
        var first = world.GitHub.CreateIssue(World.Repo, "First", null, World.Maintainer);
        var second = world.GitHub.CreateIssue(World.Repo, "Second", null, World.Maintainer);

        await world.SendIssueOpenedAsync(node, first);
        await world.SendIssueOpenedAsync(node, second);

        var jobA = await world.WaitForJobStateAsync(node, "pr_opened", first.Number);
        var jobB = await world.WaitForJobStateAsync(node, "pr_opened", second.Number);
        var a = await EventTimesAsync(world, node, jobA.GetProperty("id").GetString()!);
        var b = await EventTimesAsync(world, node, jobB.GetProperty("id").GetString()!);
        var (earlier, later) = a.Claimed <= b.Claimed ? (a, b) : (b, a);
        later.Claimed.ShouldBeGreaterThanOrEqualTo(earlier.PrLinked, "the second job may start only after the first one released its slot");
        // The first run's start made the repo's spare worktree; GitHub confirmed main had not moved, so the second
        // run adopted it instead of fetching.
        var laterIssue = a.Claimed <= b.Claimed ? second.Number : first.Number;
        node.Output.ShouldContain($"on agentmesh/issue-{laterIssue} from the spare", customMessage: "the second run started from the repo's spare worktree");
        // Each agent was exec'd by the launcher the worker kept on standby (docs/agents.md): its process group is one
        // the node had announced ready before.
        var standbys = Regex.Matches(node.Output, @"A standby agent launcher is ready \(process (\d+)\)").Select(m => m.Groups[1].Value).ToList();
        var agents = Regex.Matches(node.Output, @"Started agent .+? as process group (\d+)").Select(m => m.Groups[1].Value).ToList();
        agents.Count.ShouldBe(2, AgentMeshProgram.Tail(node.Output));
        agents.ShouldAllBe(pid => standbys.Contains(pid), $"each agent should have started from a standby launcher (standbys: {string.Join(", ", standbys)})");
    }

    [Fact]
    public async Task A_worker_whose_only_slot_is_busy_leaves_the_next_job_queued_and_starts_it_once_the_slot_frees()
    {
        await using var world = await World.StartAsync(
            ModelTurn.Stall(),
            CommitFile("two.txt", "two", "Add two.txt"),
            ModelTurn.PrReady("Added a file."));
        world.Settings["AGENTMESH_Node__WorkerSlots"] = "1";
        var node = await world.StartNodeAsync();
        // The repo would run both at once: only the node's one slot stands in the way.
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true, maxConcurrentJobs = 2 });
        var first = world.GitHub.CreateIssue(World.Repo, "First", null, World.Maintainer);
        var second = world.GitHub.CreateIssue(World.Repo, "Second", null, World.Maintainer);
        await world.SendIssueOpenedAsync(node, first);
        var firstJob = (await world.WaitForJobStateAsync(node, "running", first.Number)).GetProperty("id").GetString()!;
        await AgentMesh.Testing.Eventually.UntilAsync(() => world.Model.StalledCount == 1, "the first agent to be waiting on the model");

        await world.SendIssueOpenedAsync(node, second);
        var queued = await world.WaitForJobStateAsync(node, "queued", second.Number);
        await StoppingTests.PostAsync(world, node, $"/api/jobs/{firstJob}/stop");

        var done = await world.WaitForJobStateAsync(node, "pr_opened", second.Number);
        var stoppedAt = Items(await world.GetJsonAsync(node, $"/api/jobs/{firstJob}/events"))
            .Single(e => e.GetProperty("type").GetString() == "job_stopped").GetProperty("at").GetDateTimeOffset();
        var (claimedAt, _) = await EventTimesAsync(world, node, done.GetProperty("id").GetString()!);
        claimedAt.ShouldBeGreaterThanOrEqualTo(stoppedAt, $"the second job waits for the slot (queued as {queued.GetProperty("id")}); it is claimed only once the first run is stopped");
        world.ShowFile($"agentmesh/issue-{second.Number}", "two.txt").ShouldBe("two\n");
    }

    [Fact]
    public async Task A_node_killed_mid_job_leaves_it_to_the_next_node_which_finds_its_run_lost()
    {
        await using var world = await World.StartAsync(
            ModelTurn.Stall(),
            CommitFile("hello.txt", "hello", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt."));
        world.Settings["AGENTMESH_Grains__RunWatchPeriod"] = "00:00:02";
        world.Settings["AGENTMESH_Jobs__Retry__BaseDelay"] = "00:00:01";
        world.Settings["AGENTMESH_Jobs__Retry__MaxDelay"] = "00:00:02";
        var first = await world.StartNodeAsync("node-a");
        await world.ConfigureRepoAsync(first, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        await world.SendIssueOpenedAsync(first, issue);
        await world.WaitForJobStateAsync(first, "running", issue.Number);
        await AgentMesh.Testing.Eventually.UntilAsync(() => world.Model.StalledCount == 1, "the first node's agent to be waiting on the model");

        await first.KillAsync();
        var second = await world.StartNodeAsync("node-b");

        var job = await world.WaitForJobStateAsync(second, "pr_opened", issue.Number);
        job.GetProperty("attempt").GetInt32().ShouldBe(2);
        job.GetProperty("leaseOwner").ValueKind.ShouldBe(JsonValueKind.Null);
        world.ShowFile($"agentmesh/issue-{issue.Number}", "hello.txt").ShouldBe("hello\n");
        var events = await world.GetJsonAsync(second, $"/api/jobs/{job.GetProperty("id").GetString()}/events");
        var types = Items(events).Select(e => e.GetProperty("type").GetString()).ToList();
        types.ShouldContain("run_lost");
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_node_killed_with_sigkill_alone_takes_its_running_agent_with_it()
    {
        await using var world = await World.StartAsync();
        // An agent that says where it is and then works for ten minutes.
        var pidFile = world.Directory.Combine("agent.pid");
        var agent = world.Directory.Combine("long-agent.sh");
        await File.WriteAllTextAsync(agent, $"#!/bin/bash\necho $$ > {pidFile}\nexec sleep 600\n");
        File.SetUnixFileMode(agent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        world.Settings["AGENTMESH_Agents__Profiles__claude__Cli"] = "Command";
        world.Settings["AGENTMESH_Agents__Profiles__claude__Command"] = agent;
        var node = await world.StartNodeAsync();
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true });
        var issue = world.GitHub.CreateIssue(World.Repo, "Work for a long time", null, World.Maintainer);
        await world.SendIssueOpenedAsync(node, issue);
        await Eventually.UntilAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0, "the agent to start and write its pid");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        IsRunning(pid).ShouldBeTrue("the agent runs while its node does");

        // SIGKILL to the node's process only, as the kernel's OOM killer or a power-cycled container would: no
        // shutdown code runs, and the agent (its own session and process group) is not in the signal's way.
        await node.SignalAsync("KILL");

        await Eventually.UntilAsync(() => !IsRunning(pid), $"the agent (pid {pid}) to die with its node", TimeSpan.FromSeconds(10));
    }

    // Gone, or a zombie waiting for whoever adopted it to reap it: either way it runs no more.
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].Split(' ')[0] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Bad_github_credentials_fail_the_job_at_once_with_the_reason_instead_of_retrying()
    {
        await using var world = await World.StartAsync();
        world.Settings["AGENTMESH_GitHub__Token"] = "ghp_revoked_token";
        var node = await world.StartNodeAsync();
        // An allowed-users list, so admission needs no GitHub call with the bad token.
        await world.ConfigureRepoAsync(node, new { enabled = true, autoSolve = true, allowedUsers = new[] { World.Maintainer } });
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);

        await world.SendIssueOpenedAsync(node, issue);

        var job = await world.WaitForJobStateAsync(node, "failed", issue.Number);
        job.GetProperty("attempt").GetInt32().ShouldBe(1, "a permanent failure is not retried");
        var detail = await world.GetJsonAsync(node, $"/api/jobs/{job.GetProperty("id").GetString()}");
        var error = detail.GetProperty("actor").GetProperty("lastError");
        error.GetProperty("classification").GetString().ShouldBe("permanent");
        error.GetProperty("reason").GetString().ShouldStartWith("GitHub refused the node's identity (401)");
        world.Model.MessageRequests.ShouldBeEmpty("no agent runs without GitHub access");
    }

    private static async Task<(DateTimeOffset Claimed, DateTimeOffset PrLinked)> EventTimesAsync(World world, AgentMeshProgram node, string jobId)
    {
        var events = Items(await world.GetJsonAsync(node, $"/api/jobs/{jobId}/events")).ToList();
        DateTimeOffset At(string type) => events.Where(e => e.GetProperty("type").GetString() == type).Select(e => e.GetProperty("at").GetDateTimeOffset()).Single();
        return (At("job_claimed"), At("pull_request_linked"));
    }

    private static IEnumerable<JsonElement> Items(JsonElement list) =>
        list.GetProperty("events").EnumerateArray();
}
