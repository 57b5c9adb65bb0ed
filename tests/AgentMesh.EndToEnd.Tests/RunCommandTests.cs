using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentMesh.Cli;
using AgentMesh.Core.Jobs;
using AgentMesh.FakeModel;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>
/// <c>agentmesh run &lt;issue url&gt;</c> as a person uses it: the real program as a process, configured
/// by environment like a node, no server, against the fake GitHub and the real Claude CLI.
/// </summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_works_an_issue_to_a_pull_request_in_the_foreground_and_posts_the_comment_before_it_exits()
    {
        await using var world = await World.StartAsync(
            ConversationTests.CommitFile("hello.txt", "hello, widgets", "Add hello.txt"),
            ModelTurn.PrReady("Added hello.txt as the issue asks."));
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", "Please add hello.txt.", World.Maintainer);
        var url = new Uri(world.GitHub.WebBaseAddress, $"{World.Repo}/issues/{issue.Number}");

        await using var run = AgentMeshProgram.Start(world.Directory.Path, world.NodeEnvironment("cli"), "run", url.ToString());
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(3));

        exitCode.ShouldBe(RunExitCodes.Done, run.Output);
        var branch = $"agentmesh/issue-{issue.Number}";
        world.ShowFile(branch, "hello.txt").ShouldBe("hello, widgets\n");
        world.Log(branch).ShouldContain("Add hello.txt");
        var pullRequest = world.GitHub.State.Repositories[World.Repo].Issues.Single(i => i.PullRequest is not null);
        pullRequest.PullRequest!.Head.ShouldBe(branch);
        var pullUrl = $"{world.GitHub.WebBaseAddress}{World.Repo}/pull/{pullRequest.Number}";
        run.Stdout.ShouldContain($"pull request opened: {pullUrl}", Case.Sensitive, run.Output);
        // Live log lines as the run wrote them: time, stream, text. (Not the agent's last words: the
        // worker's log writer may still hold them when the PR turn releases the lease, and then drops them.)
        run.Stdout.ShouldMatch(@"\d\d:\d\d:\d\d system\s+starting the agent", run.Output);
        run.Stdout.ShouldMatch(@"\d\d:\d\d:\d\d tool\s+Bash \{""command"":""printf", run.Output);
        // The outbox was dispatched before the process ended: no waiting here.
        world.GitHub.Comments(World.Repo, issue.Number).Select(c => c.Body)
            .ShouldContain(body => body.Contains($"#{pullRequest.Number}", StringComparison.Ordinal), run.Output);

        await using var store = OpenStore(world);
        var job = await store.Jobs.FindByNaturalKeyAsync(JobActor.NaturalKey(World.Repo, issue.Number, JobKind.SolveIssue));
        job.ShouldNotBeNull();
        job.State.ShouldBe(JobState.PrOpened);
        job.LeaseOwner.ShouldBeNull();
        job.Priority.ShouldBe(RunSession.Priority);
        var actor = JobActor.Deserialize(job.DataJson);
        actor.PullRequest!.Url.ShouldBe(pullUrl);
        actor.History.ShouldContain(t => t.To == JobState.Running && t.Command == "Start");
        var modelRequests = world.Model.Requests.Count;

        // Asked again, run finds the same job by its natural key and leaves the open pull request alone.
        await using var again = AgentMeshProgram.Start(world.Directory.Path, world.NodeEnvironment("cli"), "run", url.ToString());
        (await again.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(RunExitCodes.NotDone, again.Output);
        again.Stderr.ShouldBe(
            $"agentmesh: job {job.Id} for {World.Repo}#{issue.Number} is already pr_opened; its pull request is {pullUrl}; nothing to run.{Environment.NewLine}",
            again.Output);
        world.Model.Requests.Count.ShouldBe(modelRequests, "the second run must not start the agent");
    }

    [Fact]
    public async Task Run_with_json_prints_only_the_final_job_summary()
    {
        await using var world = await World.StartAsync(
            ModelTurn.AskClarification("Which greeting should hello.txt hold?"));
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        var url = new Uri(world.GitHub.WebBaseAddress, $"{World.Repo}/issues/{issue.Number}");

        await using var run = AgentMeshProgram.Start(world.Directory.Path, world.NodeEnvironment("cli"), "run", url.ToString(), "--json");
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(3));

        exitCode.ShouldBe(RunExitCodes.Done, run.Output);
        using var summary = JsonDocument.Parse(run.Stdout);
        var job = summary.RootElement;
        job.GetProperty("repo").GetString().ShouldBe(World.Repo);
        job.GetProperty("number").GetInt32().ShouldBe(issue.Number);
        job.GetProperty("state").GetString().ShouldBe("waiting_for_reply");
        job.GetProperty("leaseOwner").ValueKind.ShouldBe(JsonValueKind.Null);
        job.GetProperty("usage").GetProperty("tokens").GetProperty("output").GetInt64().ShouldBeGreaterThan(0);
        // The questions reached the issue before the process ended.
        world.GitHub.Comments(World.Repo, issue.Number).Select(c => c.Body)
            .ShouldContain(body => body.Contains("Which greeting should hello.txt hold?", StringComparison.Ordinal), run.Output);
    }

    [Fact]
    public async Task Run_refuses_a_closed_issue_without_creating_a_job()
    {
        await using var world = await World.StartAsync(ModelTurn.PrReady("Never asked."));
        var issue = world.GitHub.CreateIssue(World.Repo, "Already done", null, World.Maintainer);
        world.GitHub.Issue(World.Repo, issue.Number).State = "closed";
        var url = new Uri(world.GitHub.WebBaseAddress, $"{World.Repo}/issues/{issue.Number}");

        await using var run = AgentMeshProgram.Start(world.Directory.Path, world.NodeEnvironment("cli"), "run", url.ToString());
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(RunExitCodes.NotDone, run.Output);
        run.Stderr.ShouldBe($"agentmesh: issue {World.Repo}#{issue.Number} is closed; nothing to do{Environment.NewLine}", run.Output);
        await using var store = OpenStore(world);
        (await store.Jobs.ListAsync(new JobQuery())).ShouldBeEmpty();
        world.Model.Requests.ShouldBeEmpty();
        world.GitHub.Comments(World.Repo, issue.Number).ShouldBeEmpty();
    }

    [Fact]
    public async Task Run_rejects_a_url_that_is_not_an_issue_with_exit_code_2_and_touches_nothing()
    {
        using var directory = new TempDirectory("agentmesh-run");

        await using var run = AgentMeshProgram.Start(directory.Path, new Dictionary<string, string>(), "run", "https://github.com/octo/widgets/pull/7");
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(RunExitCodes.Usage, run.Output);
        run.Stderr.ShouldBe(
            "agentmesh: 'https://github.com/octo/widgets/pull/7' is not an issue URL: its path does not end in OWNER/REPO/issues/N; "
            + $"expected {RunIssueUrl.ExpectedForm}.{Environment.NewLine}",
            run.Output);
        run.Stdout.ShouldBeEmpty();
        Directory.Exists(directory.Combine(".data")).ShouldBeFalse("a rejected URL must not create the store");
    }

    [Fact]
    public async Task Ctrl_C_stops_the_agent_and_hands_the_job_back_as_its_next_attempt()
    {
        await using var world = await World.StartAsync(ModelTurn.Stall());
        var issue = world.GitHub.CreateIssue(World.Repo, "Add a hello file", null, World.Maintainer);
        var url = new Uri(world.GitHub.WebBaseAddress, $"{World.Repo}/issues/{issue.Number}");
        await using var run = AgentMeshProgram.Start(world.Directory.Path, world.NodeEnvironment("cli"), "run", url.ToString());
        await Eventually.UntilAsync(() => world.Model.StalledCount == 1, $"the agent's model request to be held open ({run.Output})", TimeSpan.FromMinutes(2));

        await run.SignalAsync("INT");
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(RunExitCodes.Interrupted, run.Output);
        run.Stderr.ShouldContain("was handed back", Case.Sensitive, run.Output);
        await using var store = OpenStore(world);
        var job = (await store.Jobs.ListAsync(new JobQuery())).ShouldHaveSingleItem();
        job.State.ShouldBe(JobState.Queued);
        job.Attempt.ShouldBe(2);
        job.LeaseOwner.ShouldBeNull();
        world.GitHub.State.Repositories[World.Repo].Issues.ShouldNotContain(i => i.PullRequest != null);
    }

    [Theory]
    [InlineData("https://github.com/octo/widgets/issues/12", "octo", "widgets", 12)]
    [InlineData("http://127.0.0.1:5123/octo/widgets/issues/3/", "octo", "widgets", 3)]
    [InlineData("https://ghe.example.com/git/my-org/my.repo_2/issues/7?x=1#issuecomment-9", "my-org", "my.repo_2", 7)]
    public void An_issue_url_is_read_from_its_last_four_path_segments(string text, string owner, string name, int number)
    {
        RunIssueUrl.TryParse(text, out var issue, out var problem).ShouldBeTrue(problem);
        issue.ShouldBe(new RunIssueUrl(owner, name, number));
    }

    [Theory]
    [InlineData("octo/widgets#12", "it is not an absolute http(s) address")]
    [InlineData("ftp://github.com/octo/widgets/issues/1", "it is not an absolute http(s) address")]
    [InlineData("https://github.com/widgets/issues/1", "its path does not end in OWNER/REPO/issues/N")]
    [InlineData("https://github.com/octo/widgets/issues", "its path does not end in OWNER/REPO/issues/N")]
    [InlineData("https://github.com/octo/widgets/issues/0", "'0' is not an issue number")]
    [InlineData("https://github.com/octo/widgets/issues/-1", "'-1' is not an issue number")]
    [InlineData("https://github.com/oc.to/widgets/issues/1", "'oc.to/widgets' is not a repository name")]
    [InlineData("https://github.com/octo/../issues/1", "its path does not end in OWNER/REPO/issues/N")]
    public void A_malformed_issue_url_is_refused_with_the_reason(string text, string reason)
    {
        RunIssueUrl.TryParse(text, out var issue, out var problem).ShouldBeFalse();
        issue.ShouldBeNull();
        problem.ShouldBe($"'{text}' is not an issue URL: {reason}; expected {RunIssueUrl.ExpectedForm}.");
    }

    [Fact]
    public void Settings_on_the_command_line_are_told_apart_from_the_url_in_either_form_and_order()
    {
        var (urls, hostArgs) = RunCommand.SplitArguments(["--Node:NodeId=cli-1", "https://github.com/o/r/issues/1", "--Jobs:Retry:MaxAttempts", "1"]);

        urls.ShouldBe(["https://github.com/o/r/issues/1"]);
        hostArgs.ShouldBe(["--Node:NodeId=cli-1", "--Jobs:Retry:MaxAttempts", "1"]);
    }

    private static IAgentMeshStore OpenStore(World world) =>
        AgentMeshStoreFactory.Create(new StoreOptions { DataDirectory = world.DataDirectory }, TimeProvider.System, NullLoggerFactory.Instance);
}
