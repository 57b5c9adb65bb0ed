using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

/// <summary>The Codex, Gemini, Aider and generic adapters, each driven by a fake CLI printing that CLI's documented format.</summary>
public sealed class FakeCliAdapterTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-fakecli");

    public void Dispose() => _temp.Dispose();

    private async Task<(AgentRunResult Result, List<AgentEvent> Events, string Argv, string Stdin)> RunAsync(AgentCli cli, string output, string? model = null, Action<AgentProfile>? configure = null)
    {
        var argvFile = _temp.Combine("argv.txt");
        var stdinFile = _temp.Combine("stdin.txt");
        var dataFile = _temp.Combine($"{cli}.out");
        await File.WriteAllTextAsync(dataFile, output);
        var script = FakeAgentScripts.Write(_temp, $"fake-{cli}", $"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > {argvFile}; cat > {stdinFile}; cat {dataFile}");
        var profile = new AgentProfile { Cli = cli, Command = script, Model = model };
        configure?.Invoke(profile);
        var options = new AgentRunnerOptions { DefaultProfile = "p" };
        options.Profiles["p"] = profile;
        var worktree = _temp.Combine("wt");
        Directory.CreateDirectory(worktree);
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System);
        await using var run = runner.Start(new AgentRunRequest { Prompt = "Fix issue 12", WorkingDirectory = worktree, AppendOutcomeInstructions = false });
        var events = new List<AgentEvent>();
        await foreach (var e in run.Events.ReadAllAsync())
        {
            events.Add(e);
        }
        var result = await Eventually.WithinAsync(run.Completion, $"the fake {cli} to finish");
        return (result, events, await File.ReadAllTextAsync(argvFile), await File.ReadAllTextAsync(stdinFile));
    }

    [Fact]
    public async Task Codex_exec_json_events_are_normalised()
    {
        const string Output = """
            {"type":"thread.started","thread_id":"0199a213-81c0-7800-8aa1-bbab2a035a53"}
            {"type":"turn.started"}
            {"type":"item.completed","item":{"id":"item_0","type":"reasoning","text":"**Looking at the tests**"}}
            {"type":"item.started","item":{"id":"item_1","type":"command_execution","command":"bash -lc ls","aggregated_output":"","exit_code":null,"status":"in_progress"}}
            {"type":"item.completed","item":{"id":"item_1","type":"command_execution","command":"bash -lc ls","aggregated_output":"README.md\nsrc\n","exit_code":0,"status":"completed"}}
            {"type":"item.completed","item":{"id":"item_2","type":"file_change","changes":[{"path":"src/a.rs","kind":"update"}],"status":"completed"}}
            {"type":"item.completed","item":{"id":"item_3","type":"agent_message","text":"Fixed the bug in src/a.rs."}}
            {"type":"turn.completed","usage":{"input_tokens":24763,"cached_input_tokens":24448,"output_tokens":122}}
            """;
        var (result, events, argv, stdin) = await RunAsync(AgentCli.Codex, Output, model: "gpt-5-codex");

        argv.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["exec", "--json", "--skip-git-repo-check", "--full-auto", "--model", "gpt-5-codex", "-"]);
        stdin.ShouldBe("Fix issue 12\n");
        events.OfType<SessionStarted>().Single().SessionId.ShouldBe("0199a213-81c0-7800-8aa1-bbab2a035a53");
        events.OfType<ToolCall>().Single().ShouldBe(new ToolCall("item_1", "command_execution", "{\"command\":\"bash -lc ls\"}"));
        events.OfType<ToolResult>().ShouldBe([new ToolResult("item_1", "README.md\nsrc\n", false), new ToolResult("item_2", "update src/a.rs", false)]);
        events.OfType<AssistantText>().Single().Text.ShouldBe("Fixed the bug in src/a.rs.");
        result.Usage.ShouldBe(new AgentUsage(24763, 122, 24448, 0));
        result.FinalText.ShouldBe("Fixed the bug in src/a.rs.");
        result.SessionId.ShouldBe("0199a213-81c0-7800-8aa1-bbab2a035a53");
        result.Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task A_codex_turn_failure_with_a_rate_limit_is_a_provider_error()
    {
        const string Output = """
            {"type":"thread.started","thread_id":"t1"}
            {"type":"turn.started"}
            {"type":"turn.failed","error":{"message":"stream error: exceeded retry limit, last status: 429 Too Many Requests"}}
            """;
        var (result, _, _, _) = await RunAsync(AgentCli.Codex, Output);
        result.Error.ShouldBe(new AgentFailed(AgentErrorKind.Provider, "stream error: exceeded retry limit, last status: 429 Too Many Requests"));
        result.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task Gemini_stream_json_events_are_normalised()
    {
        const string Output = """
            {"type":"init","timestamp":"2026-11-21T10:00:00.000Z","session_id":"gem-123","model":"gemini-2.5-pro"}
            {"type":"message","timestamp":"2026-11-21T10:00:00.100Z","role":"user","content":"Fix issue 12"}
            {"type":"tool_use","timestamp":"2026-11-21T10:00:01.000Z","tool_name":"run_shell_command","tool_id":"run_shell_command-1","parameters":{"command":"ls"}}
            {"type":"tool_result","timestamp":"2026-11-21T10:00:01.500Z","tool_id":"run_shell_command-1","status":"success","output":"README.md"}
            {"type":"message","timestamp":"2026-11-21T10:00:02.000Z","role":"assistant","content":"Fixed ","delta":true}
            {"type":"message","timestamp":"2026-11-21T10:00:02.100Z","role":"assistant","content":"it.","delta":true}
            {"type":"result","timestamp":"2026-11-21T10:00:03.000Z","status":"success","stats":{"total_tokens":1500,"input_tokens":1200,"output_tokens":300,"cached":800,"input":400,"duration_ms":3000,"tool_calls":1}}
            """;
        var (result, events, argv, _) = await RunAsync(AgentCli.Gemini, Output, model: "gemini-2.5-pro");

        argv.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["--output-format", "stream-json", "--approval-mode", "yolo", "--model", "gemini-2.5-pro", "--prompt", "Fix issue 12"]);
        events.OfType<SessionStarted>().Single().ShouldBe(new SessionStarted("gem-123", "gemini-2.5-pro"));
        events.OfType<ToolCall>().Single().ShouldBe(new ToolCall("run_shell_command-1", "run_shell_command", "{\"command\":\"ls\"}"));
        events.OfType<ToolResult>().Single().ShouldBe(new ToolResult("run_shell_command-1", "README.md", false));
        events.OfType<AssistantText>().Select(t => t.Text).ShouldBe(["Fixed ", "it."]);
        result.FinalText.ShouldBe("Fixed it.");
        result.Usage.ShouldBe(new AgentUsage(1200, 300, 800, 0));
        result.SessionId.ShouldBe("gem-123");
        result.Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task Aider_plain_text_with_its_token_and_cost_report()
    {
        const string Output = """
            Aider v0.86.1
            Main model: claude-sonnet-4 with diff edit format
            Applied edit to src/app.py
            Commit 1a2b3c4 fix: handle empty input
            Tokens: 12k sent, 1.5k cache write, 8.2k cache hit, 640 received. Cost: $0.04 message, $0.04 session.
            """;
        var (result, events, argv, _) = await RunAsync(AgentCli.Aider, Output, model: "sonnet");

        var args = argv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        args[0].ShouldBe("--message-file");
        args[2..].ShouldBe(["--yes-always", "--no-pretty", "--no-stream", "--no-check-update", "--no-show-release-notes", "--model", "sonnet"]);
        events.OfType<AssistantText>().Count().ShouldBe(5);
        result.Usage.ShouldBe(new AgentUsage(12_000, 640, 8_200, 1_500));
        result.CostUsd.ShouldBe(0.04m);
        result.FinalText.ShouldContain("Applied edit to src/app.py");
    }

    [Fact]
    public async Task A_generic_command_gets_the_prompt_in_a_file()
    {
        var script = FakeAgentScripts.Write(_temp, "generic", "cat \"$1\"; echo; echo \"env=$AGENTMESH_PROMPT_FILE\" | sed 's/=.*prompt.md$/=prompt.md/'");
        var options = new AgentRunnerOptions { DefaultProfile = "g" };
        var profile = new AgentProfile { Cli = AgentCli.Command, Command = script };
        profile.Arguments.Add("{prompt_file}");
        options.Profiles["g"] = profile;
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System);
        Directory.CreateDirectory(_temp.Combine("wt"));
        await using var run = runner.Start(new AgentRunRequest { Prompt = "Do the thing", WorkingDirectory = _temp.Combine("wt"), AppendOutcomeInstructions = false });
        var result = await Eventually.WithinAsync(run.Completion, "the generic command to finish");
        result.FinalText.ShouldBe("Do the thing\nenv=prompt.md\n");
        result.Exit.Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task A_plain_command_that_exits_non_zero_is_an_agent_error_and_a_503_in_its_output_a_provider_error()
    {
        var failing = FakeAgentScripts.Write(_temp, "failing", "echo 'Error: 503 Service Unavailable'; exit 2");
        var options = new AgentRunnerOptions { DefaultProfile = "f" };
        options.Profiles["f"] = new AgentProfile { Cli = AgentCli.Command, Command = failing };
        var runner = new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System);
        await using var run = runner.Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = _temp.Path });
        var failed = await Eventually.WithinAsync(run.Completion, "the failing command to finish");
        failed.Exit.Kind.ShouldBe(ProcessExitKind.AgentError);
        failed.Error.ShouldBe(new AgentFailed(AgentErrorKind.Provider, "The agent exited with code 2."));
    }
}
