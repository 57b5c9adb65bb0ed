using System.Text.Json.Nodes;
using AgentMesh.Agents.Adapters;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Profiles;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class ClaudeCodeAdapterTests
{
    private static IReadOnlyList<AgentEvent> Parse(string line) => new ClaudeCodeOutputParser().Parse(new OutputLine(OutputStream.Stdout, line));

    [Fact]
    public void The_command_line_carries_the_profile_and_the_prompt_goes_to_stdin()
    {
        var profile = new AgentProfile { Model = "claude-sonnet-4-5", MaxTurns = 40, PermissionMode = "acceptEdits" };
        profile.AllowedTools.Add("Read");
        profile.AllowedTools.Add("Bash(git *)");
        var launch = new ClaudeCodeAdapter().Prepare(new AgentRunContext(profile, "Fix \"it\"", "/runs/1/prompt.md", "/runs/1/home", "sess-9"));

        launch.Arguments.ShouldBe([
            "-p", "--output-format", "stream-json", "--input-format", "stream-json", "--verbose",
            "--model", "claude-sonnet-4-5", "--max-turns", "40", "--allowedTools", "Read,Bash(git *)",
            "--permission-mode", "acceptEdits", "--resume", "sess-9"]);
        launch.Arguments.ShouldNotContain("--dangerously-skip-permissions");
        launch.StreamingInput.ShouldBeTrue();
        var prompt = JsonNode.Parse(launch.InitialInput.ShouldHaveSingleItem())!;
        ((string?)prompt["type"]).ShouldBe("user");
        ((string?)prompt["message"]!["role"]).ShouldBe("user");
        ((string?)prompt["message"]!["content"]).ShouldBe("Fix \"it\"");
        launch.Environment["CLAUDE_CONFIG_DIR"].ShouldBe("/runs/1/home/.claude");
        launch.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"].ShouldBe("1");
    }

    [Fact]
    public void Chat_and_interrupt_are_stream_json_lines()
    {
        var adapter = new ClaudeCodeAdapter();
        JsonNode.Parse(adapter.FormatUserMessage("use tabs")!)!.ToJsonString()
            .ShouldBe("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"use tabs\"}}");
        adapter.FormatInterrupt("r-1").ShouldBe("{\"type\":\"control_request\",\"request_id\":\"r-1\",\"request\":{\"subtype\":\"interrupt\"}}");
    }

    [Fact]
    public void A_529_from_the_real_cli_is_a_provider_error_and_its_synthetic_message_is_not_assistant_text()
    {
        // Lines as Claude Code 2.1.328 printed them against a server answering 529 (trimmed to the fields read).
        Parse("""{"type":"assistant","message":{"model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"API Error: 529 Overloaded."}]},"session_id":"s-1","error":"server_error","is_api_error_message":true,"api_error_status":529,"api_error_type":"overloaded_error"}""")
            .ShouldBeEmpty();
        var events = Parse("""{"type":"result","subtype":"success","is_error":true,"api_error_status":529,"api_error_type":"overloaded_error","result":"API Error: 529 Overloaded.","session_id":"s-1","total_cost_usd":0,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}""");
        events.ShouldBe([
            new UsageReported(AgentUsage.Zero),
            new CostReported(0m),
            new AgentFailed(AgentErrorKind.Provider, "API Error: 529 Overloaded. (HTTP 529)"),
            new FinalResult("API Error: 529 Overloaded.", "s-1", IsError: true),
        ]);
    }

    [Fact]
    public void Max_turns_is_its_own_error_kind()
    {
        Parse("""{"type":"result","subtype":"error_max_turns","is_error":true,"session_id":"s-2","num_turns":3}""")
            .OfType<AgentFailed>().Single().ShouldBe(new AgentFailed(AgentErrorKind.MaxTurns, "error_max_turns"));
    }

    [Fact]
    public void Tool_calls_results_and_texts_are_mapped()
    {
        Parse("""{"type":"assistant","message":{"content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]}}""")
            .ShouldBe([new AssistantText("Let me look."), new ToolCall("toolu_1", "Bash", "{\"command\":\"ls\"}")]);
        Parse("""{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"README.md"}],"is_error":false}]}}""")
            .ShouldBe([new ToolResult("toolu_1", "README.md", false)]);
        Parse("not json at all").ShouldBe([new RawOutput("not json at all", FromStderr: false)]);
        new ClaudeCodeOutputParser().Parse(new OutputLine(OutputStream.Stderr, "warning")).ShouldBe([new RawOutput("warning", FromStderr: true)]);
    }
}
