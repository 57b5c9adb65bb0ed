using AgentMesh.Agents.Adapters;
using AgentMesh.Agents.Profiles;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class AdapterCommandLineTests
{
    private static AgentRunContext Context(AgentProfile profile, string? resume = null) =>
        new(profile, "Fix issue 12", "/runs/1/prompt.md", "/runs/1/home", resume);

    [Fact]
    public void Codex_resumes_with_its_exec_resume_subcommand_after_exec_options()
    {
        var launch = new CodexAdapter().Prepare(Context(new AgentProfile { Cli = AgentCli.Codex, Model = "gpt-5-codex" }, resume: "0199a213"));
        launch.Arguments.ShouldBe(["exec", "--json", "--skip-git-repo-check", "--full-auto", "--model", "gpt-5-codex", "resume", "0199a213", "-"]);
        launch.InitialInput.ShouldBe(["Fix issue 12"]);
        launch.StreamingInput.ShouldBeFalse();
        launch.Environment["CODEX_HOME"].ShouldBe("/runs/1/home/.codex");
    }

    [Fact]
    public void Gemini_resumes_with_resume_and_takes_the_prompt_as_an_argument()
    {
        var launch = new GeminiAdapter().Prepare(Context(new AgentProfile { Cli = AgentCli.Gemini }, resume: "gem-123"));
        launch.Arguments.ShouldBe(["--output-format", "stream-json", "--approval-mode", "yolo", "--resume", "gem-123", "--prompt", "Fix issue 12"]);
        launch.InitialInput.ShouldBeEmpty();
    }

    [Fact]
    public void Only_claude_takes_chat_messages_and_interrupts_on_stdin()
    {
        foreach (var adapter in AgentCliAdapters.All.Where(a => a.Cli != AgentCli.Claude))
        {
            adapter.FormatUserMessage("hi").ShouldBeNull(adapter.Cli.ToString());
            adapter.FormatInterrupt("r").ShouldBeNull(adapter.Cli.ToString());
        }
        AgentCliAdapters.All.Select(a => a.Cli).ShouldBe([AgentCli.Claude, AgentCli.Codex, AgentCli.Gemini, AgentCli.Aider, AgentCli.Command]);
    }

    [Theory]
    [InlineData("950", 950)]
    [InlineData("2.1k", 2100)]
    [InlineData("1.2M", 1_200_000)]
    [InlineData("12,345", 12_345)]
    public void Aider_token_counts_are_read_with_their_suffixes(string text, long expected) =>
        AiderOutputParser.Count(text).ShouldBe(expected);
}
