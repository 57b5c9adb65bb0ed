using AgentMesh.Agents.Events;
using AgentMesh.Agents.Outcomes;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Running;
using AgentMesh.FakeModel;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

[Collection(RealClaudeCollection.Name)]
public sealed class RealClaudeCodeTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-claude");

    public void Dispose() => _temp.Dispose();

    private string Worktree()
    {
        var path = _temp.Combine("worktree");
        Directory.CreateDirectory(path);
        return path;
    }

    private static async Task<(AgentRunResult Result, List<AgentEvent> Events)> RunToEndAsync(AgentRun run)
    {
        var events = new List<AgentEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in run.Events.ReadAllAsync())
            {
                events.Add(e);
            }
        });
        var result = await Eventually.WithinAsync(run.Completion, "the Claude Code run to finish", TimeSpan.FromSeconds(60));
        await reading;
        return (result, events);
    }

    [Fact]
    public async Task Writes_a_file_with_the_Write_tool_runs_Bash_and_reports_usage_cost_and_session()
    {
        var worktree = Worktree();
        var target = Path.Combine(worktree, "hello.txt");
        await using var model = await FakeModelServer.StartAsync(
            ModelTurn.WriteFile(target, "hello from the agent\n"),
            ModelTurn.Bash("echo bash-ran > bash.txt && cat hello.txt"),
            ModelTurn.PrReady("Added hello.txt."));
        var runner = RealClaude.Runner(null, ("claude", RealClaude.Profile(model)));

        await using var run = runner.Start(new AgentRunRequest { Prompt = "Create hello.txt", WorkingDirectory = worktree });
        var (result, events) = await RunToEndAsync(run);

        File.ReadAllText(target).ShouldBe("hello from the agent\n");
        File.ReadAllText(Path.Combine(worktree, "bash.txt")).ShouldBe("bash-ran\n");
        result.Exit.Kind.ShouldBe(ProcessExitKind.Success);
        result.Error.ShouldBeNull();
        var calls = events.OfType<ToolCall>().ToList();
        calls.Select(c => c.Name).ShouldBe(["Write", "Bash"]);
        var bashResult = events.OfType<ToolResult>().Single(r => r.ToolCallId == calls[1].Id);
        bashResult.Output.ShouldContain("hello from the agent");
        bashResult.IsError.ShouldBeFalse();
        // Three model calls, each reporting the fake's usage (100 in, 20 out, 30 cache read, 40 cache write).
        model.MessageRequests.Count.ShouldBe(3);
        result.Usage.ShouldBe(new AgentUsage(300, 60, 90, 120));
        result.CostUsd.ShouldNotBeNull().ShouldBeGreaterThan(0m);
        var session = events.OfType<SessionStarted>().First().SessionId;
        session.ShouldNotBeNullOrEmpty();
        result.SessionId.ShouldBe(session);
        OutcomeBlockParser.Parse(result.FinalText).ShouldBe(AgentOutcome.PrReady("Added hello.txt.", "The agent declared pr_ready."));
        // The prompt reached the model with the outcome instructions, and the API key came from the node secret.
        model.SawUserText("Create hello.txt").ShouldBeTrue();
        model.SawUserText("\"agentmesh\":\"needs_clarification\"").ShouldBeTrue();
        model.MessageRequests[0].Headers["x-api-key"].ShouldBe("sk-ant-test-key");
    }

    [Fact]
    public async Task A_clarification_question_becomes_the_needs_clarification_outcome()
    {
        await using var model = await FakeModelServer.StartAsync(ModelTurn.AskClarification("Which database?", "Keep the old API?"));
        var runner = RealClaude.Runner(null, ("claude", RealClaude.Profile(model)));
        await using var run = runner.Start(new AgentRunRequest { Prompt = "Migrate the store", WorkingDirectory = Worktree() });
        var (result, _) = await RunToEndAsync(run);

        var outcome = OutcomeBlockParser.Parse(result.FinalText).ShouldNotBeNull();
        outcome.Kind.ShouldBe(AgentOutcomeKind.NeedsClarification);
        outcome.Questions.ShouldBe(["Which database?", "Keep the old API?"]);
    }

    [Fact]
    public async Task Three_hundred_lines_of_output_arrive_whole()
    {
        await using var model = await FakeModelServer.StartAsync(ModelTurn.Lines(300));
        var runner = RealClaude.Runner(null, ("claude", RealClaude.Profile(model)));
        await using var run = runner.Start(new AgentRunRequest { Prompt = "Print 300 lines", WorkingDirectory = Worktree() });
        var (result, events) = await RunToEndAsync(run);

        var lines = string.Concat(events.OfType<AssistantText>().Select(t => t.Text)).Split('\n');
        lines.ShouldBe(Enumerable.Range(1, 300).Select(i => $"line {i}"));
        result.FinalText.Split('\n').Length.ShouldBe(300);
    }

    [Fact]
    public async Task An_overloaded_provider_is_a_provider_error_and_the_fallback_profile_takes_over()
    {
        await using var overloaded = await FakeModelServer.StartAsync(ModelTurn.Overloaded());
        await using var healthy = await FakeModelServer.StartAsync(ModelTurn.PrReady("Done on the fallback."));
        var runner = RealClaude.Runner(null,
            ("primary", RealClaude.Profile(overloaded, fallback: "backup")),
            ("backup", RealClaude.Profile(healthy)));

        await using var run = runner.Start(new AgentRunRequest { Prompt = "Fix the bug", WorkingDirectory = Worktree() });
        var (result, events) = await RunToEndAsync(run);

        var failure = events.OfType<AgentFailed>().Single();
        failure.Kind.ShouldBe(AgentErrorKind.Provider);
        events.OfType<FallbackStarted>().Single().ShouldBe(new FallbackStarted("primary", "backup", failure.Message));
        result.ProfilesTried.ShouldBe(["primary", "backup"]);
        result.Error.ShouldBeNull();
        result.Exit.Kind.ShouldBe(ProcessExitKind.Success);
        OutcomeBlockParser.Parse(result.FinalText)!.Summary.ShouldBe("Done on the fallback.");
        overloaded.MessageRequests.Count.ShouldBe(1, "CLAUDE_CODE_MAX_RETRIES=0 in the profile: no retries");
        healthy.SawUserText("Fix the bug").ShouldBeTrue();
    }

    [Fact]
    public async Task A_stalled_model_runs_into_the_timeout_and_the_agent_is_killed()
    {
        var clock = new FakeTimeProvider();
        await using var model = await FakeModelServer.StartAsync(ModelTurn.Stall());
        var runner = RealClaude.Runner(clock, ("claude", RealClaude.Profile(model, timeout: TimeSpan.FromMinutes(10))));
        await using var run = runner.Start(new AgentRunRequest { Prompt = "Think forever", WorkingDirectory = Worktree() });
        await Eventually.UntilAsync(() => model.StalledCount == 1, "the model request to be held by the stall");

        clock.Advance(TimeSpan.FromMinutes(10));
        // Claude Code may or may not exit on SIGTERM; the grace period then ends it with SIGKILL.
        clock.Advance(TimeSpan.FromSeconds(5));
        var (result, _) = await RunToEndAsync(run);

        result.Exit.Kind.ShouldBe(ProcessExitKind.Timeout);
        result.Succeeded.ShouldBeFalse();
        await Eventually.UntilAsync(() => model.StalledCount == 0, "the stalled request to be dropped by the killed CLI");
    }

    [Fact]
    public async Task A_chat_message_reaches_the_running_agent_and_an_interrupt_lets_it_continue_with_it()
    {
        await using var model = await FakeModelServer.StartAsync(
            ModelTurn.Stall(),
            ModelTurn.PrReady("Used tabs as asked."));
        var runner = RealClaude.Runner(null, ("claude", RealClaude.Profile(model)));
        await using var run = runner.Start(new AgentRunRequest { Prompt = "Reformat the code", WorkingDirectory = Worktree() });
        await Eventually.UntilAsync(() => model.StalledCount == 1, "the first turn to be in flight (held by the model)");

        (await run.SendMessageAsync("Please use tabs, not spaces.")).ShouldBeTrue();
        (await run.InterruptAsync()).ShouldBeTrue();
        var (result, events) = await RunToEndAsync(run);

        // The interrupted turn was abandoned and the next model request carried the person's message.
        model.MessageRequests.Count.ShouldBe(2);
        model.MessageRequests[0].UserTexts().ShouldNotContain(t => t.Contains("Please use tabs"));
        model.MessageRequests[1].UserTexts().ShouldContain("Please use tabs, not spaces.");
        events.OfType<FinalResult>().Count().ShouldBe(2, "one result for the interrupted turn, one for the message's turn");
        OutcomeBlockParser.Parse(result.FinalText)!.Summary.ShouldBe("Used tabs as asked.");
        result.Exit.Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task A_session_is_resumed_with_its_history_when_the_home_is_kept()
    {
        await using var model = await FakeModelServer.StartAsync(ModelTurn.Text("First answer."), ModelTurn.Text("Second answer."));
        var runner = RealClaude.Runner(null, ("claude", RealClaude.Profile(model)));
        var home = _temp.Combine("job-home");
        var worktree = Worktree();
        string session;
        await using (var first = runner.Start(new AgentRunRequest { Prompt = "First task: look at the parser", WorkingDirectory = worktree, HomeDirectory = home }))
        {
            session = (await RunToEndAsync(first)).Result.SessionId.ShouldNotBeNull();
        }

        await using var second = runner.Start(new AgentRunRequest { Prompt = "Now fix it", WorkingDirectory = worktree, HomeDirectory = home, ResumeSessionId = session });
        var (result, _) = await RunToEndAsync(second);

        result.FinalText.ShouldBe("Second answer.");
        var texts = model.MessageRequests[1].UserTexts();
        texts.ShouldContain(t => t.StartsWith("First task: look at the parser", StringComparison.Ordinal), "the resumed session carries the first prompt");
        texts.ShouldContain(t => t.StartsWith("Now fix it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Claude_Code_runs_inside_the_sandbox_and_writes_only_its_worktree()
    {
        var worktree = Worktree();
        var outside = _temp.Combine("outside.txt");
        await using var model = await FakeModelServer.StartAsync(
            ModelTurn.Bash($"echo inside > in.txt; cat {outside} || echo cannot-read-outside"),
            ModelTurn.PrReady("Sandboxed."));
        await File.WriteAllTextAsync(outside, "node secret");
        var profile = RealClaude.Profile(model);
        profile.Sandbox = true;
        var runner = RealClaude.Runner(null, ("claude", profile));

        await using var run = runner.Start(new AgentRunRequest { Prompt = "Work in the sandbox", WorkingDirectory = worktree });
        var (result, events) = await RunToEndAsync(run);

        result.Exit.Kind.ShouldBe(ProcessExitKind.Success);
        File.ReadAllText(Path.Combine(worktree, "in.txt")).ShouldBe("inside\n");
        var bash = events.OfType<ToolResult>().Single();
        bash.Output.ShouldContain("cannot-read-outside");
        bash.Output.ShouldNotContain("node secret");
    }

    [Fact]
    public async Task Max_turns_stops_the_agent_with_its_own_error_kind()
    {
        await using var model = await FakeModelServer.StartAsync(ModelTurn.Bash("echo one"), ModelTurn.Bash("echo two"), ModelTurn.Text("done"));
        var profile = RealClaude.Profile(model);
        profile.MaxTurns = 1;
        var runner = RealClaude.Runner(null, ("claude", profile));
        await using var run = runner.Start(new AgentRunRequest { Prompt = "Loop", WorkingDirectory = Worktree() });
        var (result, _) = await RunToEndAsync(run);

        result.Error.ShouldNotBeNull().Kind.ShouldBe(AgentErrorKind.MaxTurns);
        result.Succeeded.ShouldBeFalse();
    }
}
