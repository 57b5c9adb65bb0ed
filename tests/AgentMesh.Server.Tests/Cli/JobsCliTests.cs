using System.Text.Json;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Server.Api.Jobs;
using AgentMesh.Server.Tests.Api;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Cli;

/// <summary><c>agentmesh jobs …</c> as a real process against a running node.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class JobsCliTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    private string Server => _node.BaseAddress.ToString();

    [Fact]
    public async Task Jobs_list_json_is_the_api_page_and_contains_the_job()
    {
        var repo = AdminApiNode.NewRepo();
        var job = await _node.CreateJobAsync(repo, 42);

        var run = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "list", "--repo", repo, "--json", "--server", Server);

        run.ExitCode.ShouldBe(0, run.ToString());
        var page = JsonSerializer.Deserialize<JobListPage>(run.Stdout, AgentMesh.Core.CoreJson.Options)!;
        var item = page.Items.ShouldHaveSingleItem();
        (item.Id, item.Repo, item.Number, item.State).ShouldBe((job.Id, repo, 42, JobState.Queued));
    }

    [Fact]
    public async Task Jobs_list_prints_a_table_with_the_job()
    {
        var repo = AdminApiNode.NewRepo();
        var job = await _node.CreateJobAsync(repo, 7);

        var run = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "list", "--repo", repo, "--server", Server);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("STATE");
        run.Stdout.ShouldContain(job.Id);
        run.Stdout.ShouldContain("queued");
    }

    [Fact]
    public async Task Jobs_stop_then_retry_change_the_job_and_show_reports_it()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 3);

        var stop = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "stop", job.Id, "--server", Server);
        var retry = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "retry", job.Id, "--server", Server);
        var show = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "show", job.Id, "--json", "--server", Server);
        var table = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "show", job.Id, "--server", Server);

        stop.ExitCode.ShouldBe(0, stop.ToString());
        stop.Stdout.ShouldContain($"Job {job.Id} is now stopped (run 1, attempt 1 of 3).");
        retry.ExitCode.ShouldBe(0, retry.ToString());
        retry.Stdout.ShouldContain($"Job {job.Id} is now queued (run 2, attempt 1 of 3).");
        var detail = JsonSerializer.Deserialize<JobDetail>(show.Stdout, AgentMesh.Core.CoreJson.Options)!;
        detail.Actor.History.Select(t => (t.From, t.To, t.Command)).ShouldBe([(JobState.Queued, JobState.Stopped, "Stop"), (JobState.Stopped, JobState.Queued, "Rerun")]);
        table.ExitCode.ShouldBe(0, table.ToString());
        table.Stdout.ShouldContain("run 2, attempt 1 of 3");
        table.Stdout.Split('\n').ShouldContain(l => l.Contains("│ stopped", StringComparison.Ordinal) && l.Contains("│ queued", StringComparison.Ordinal) && l.Contains("│ Rerun", StringComparison.Ordinal), table.Stdout);
    }

    [Fact]
    public async Task Jobs_audit_prints_each_runs_tool_calls_files_changed_and_people()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 6);
        var at = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        var audit = new AgentMesh.Guardrails.Audit.RunAudit(
            "acme/web#6:solve_issue",
            1,
            [new AgentMesh.Guardrails.Audit.AuditToolCall(at, "Bash", "dotnet test", [], [])],
            0,
            [new AgentMesh.Guardrails.Audit.FileChange("src/Greeter.cs", null, 12, 3)],
            [new AgentMesh.Guardrails.Audit.AuditPersonAction("alice", AgentMesh.Guardrails.Audit.AuditRole.Triggered, at)]);
        await _node.Store.Jobs.TurnAsync(job.Id, null, r => new JobChange(
            r.State, r.DataJson, [new NewEvent(AgentMesh.Server.Worker.JobExecution.RunAuditEventType, AgentMesh.Server.Worker.JobExecution.SerializeAudit(audit))], []));

        var table = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "audit", job.Id, "--server", Server);

        table.ExitCode.ShouldBe(0, table.ToString());
        var lines = table.Stdout.Split('\n');
        lines.ShouldContain(l => l.Contains("│ Bash", StringComparison.Ordinal) && l.Contains("│ dotnet test", StringComparison.Ordinal), table.Stdout);
        lines.ShouldContain(l => l.Contains("│ src/Greeter.cs", StringComparison.Ordinal) && l.Contains("│ 12", StringComparison.Ordinal) && l.Contains("│ 3", StringComparison.Ordinal), table.Stdout);
        lines.ShouldContain(l => l.Contains("│ alice", StringComparison.Ordinal) && l.Contains("│ triggered", StringComparison.Ordinal), table.Stdout);
    }

    [Fact]
    public async Task A_refused_command_exits_1_with_the_servers_reason()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 3);

        var run = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "retry", job.Id, "--server", Server);

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain($"agentmesh: Job {job.Id} cannot handle Rerun while queued: only a finished job can be re-run.");
    }

    [Fact]
    public async Task Jobs_logs_follow_prints_new_lines_until_the_job_finishes()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 5);
        await _node.Store.Logs.AppendAsync(job.Id, [new NewLogLine("stdout", "first line")]);
        using var workDir = new TempDirectory("agentmesh-cli");
        var environment = new Dictionary<string, string> { ["AGENTMESH_ADMIN_TOKEN"] = AdminApiNode.DefaultToken };

        await using var follow = AgentMeshProgram.Start(workDir.Path, environment, "jobs", "logs", job.Id, "--follow", "--server", Server);
        await Eventually.UntilAsync(() => follow.Stdout.Contains("first line", StringComparison.Ordinal), "the follower to print the first line");
        await _node.Store.Logs.AppendAsync(job.Id, [new NewLogLine("stderr", "second line")]);
        await Eventually.UntilAsync(() => follow.Stdout.Contains("second line", StringComparison.Ordinal), "the follower to print a line appended while it watched");
        await _node.Store.Logs.AppendAsync(job.Id, [new NewLogLine("system", "last line")]);
        await _node.Jobs.SendAsync(job.Id, new Stop("tester"));

        (await follow.WaitForExitAsync()).ShouldBe(0, follow.Stderr);
        var lines = follow.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Select(l => l[20..].TrimEnd()).ShouldBe(["stdout first line", "stderr second line", "system last line"]);
        follow.Stderr.ShouldContain($"agentmesh: job {job.Id} is stopped.");
    }

    [Fact]
    public async Task Ctrl_c_stops_following_with_exit_code_130()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 8);
        await _node.Store.Logs.AppendAsync(job.Id, [new NewLogLine("stdout", "still running")]);
        var startInfo = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "agentmesh.dll"), "jobs", "logs", job.Id, "--follow", "--server", Server })
        {
            startInfo.ArgumentList.Add(arg);
        }
        startInfo.Environment["AGENTMESH_ADMIN_TOKEN"] = AdminApiNode.DefaultToken;
        using var follow = System.Diagnostics.Process.Start(startInfo)!;
        var firstLine = follow.StandardOutput.ReadLineAsync();
        (await Eventually.WithinAsync(firstLine, "the follower to print the job's first line"))!.ShouldEndWith("still running");

        using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", follow.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        await Eventually.WithinAsync(follow.WaitForExitAsync(), "the follower to exit after SIGINT");
        follow.ExitCode.ShouldBe(130);
        (await _node.Store.Jobs.GetAsync(job.Id))!.State.ShouldBe(JobState.Queued, "watching a job's log never changes the job");
    }

    [Fact]
    public async Task Jobs_logs_json_prints_one_json_object_per_line()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 6);
        await _node.Store.Logs.AppendAsync(job.Id, [new NewLogLine("stdout", "a"), new NewLogLine("stdout", "b"), new NewLogLine("agent", "c")]);

        var run = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "logs", job.Id, "--tail", "2", "--json", "--server", Server);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize<JobLogLine>(l, AgentMesh.Core.CoreJson.Options)!)
            .Select(l => (l.Sequence, l.Stream, l.Text))
            .ShouldBe([(2L, "stdout", "b"), (3L, "agent", "c")]);
    }

    [Fact]
    public async Task A_wrong_token_exits_1_saying_it_was_refused()
    {
        var run = await CliRun.RunAsync("not-the-admin-token", "jobs", "list", "--server", Server);

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.Trim().ShouldBe("agentmesh: the admin token was refused (set AGENTMESH_ADMIN_TOKEN)");
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task No_token_exits_1_saying_none_was_sent()
    {
        var run = await CliRun.RunAsync(null, "jobs", "list", "--server", Server);

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.Trim().ShouldBe("agentmesh: the admin token was refused: none was sent (set AGENTMESH_ADMIN_TOKEN)");
    }

    [Fact]
    public async Task An_unreachable_server_exits_1_naming_the_address()
    {
        var closedPort = ClosedLoopbackPort();
        var address = $"http://127.0.0.1:{closedPort}";

        var run = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "list", "--server", address);

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldStartWith($"agentmesh: cannot reach AgentMesh at {address}: Connection refused");
    }

    [Fact]
    public async Task A_server_address_that_is_not_a_url_exits_1()
    {
        var run = await CliRun.RunAsync(AdminApiNode.DefaultToken, "jobs", "list", "--server", "localhost:5080");

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.Trim().ShouldBe("agentmesh: the server address must be an absolute http:// or https:// URL (was 'localhost:5080'); set it with --server or AGENTMESH_SERVER.");
    }

    /// <summary>A loopback port nothing listens on: bound once to learn a free number, then released.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
