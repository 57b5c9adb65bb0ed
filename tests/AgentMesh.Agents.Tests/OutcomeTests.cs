using AgentMesh.Agents.Events;
using AgentMesh.Agents.Outcomes;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Workspaces;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class OutcomeTests
{
    private static readonly WorkspaceChanges NoChanges = new([], []);
    private static readonly WorkspaceChanges TwoCommits = new(["Add parser", "Fix off-by-one in parser"], []);

    private static AgentRunResult Run(string finalText, ProcessExitKind exit = ProcessExitKind.Success, AgentFailed? error = null) =>
        new(["claude"], new ProcessExit(exit, exit == ProcessExitKind.Success ? 0 : 1, null, TimeSpan.FromSeconds(3)),
            "session-1", finalText, finalText, AgentUsage.Zero, null, error);

    [Fact]
    public void The_last_valid_block_wins_and_earlier_quoted_ones_are_ignored()
    {
        var text = """
            The instructions said to end with:
            ```json
            {"agentmesh":"needs_clarification","questions":["<question 1>"]}
            ```
            All done now.
            ```json
            {"agentmesh":"pr_ready","summary":"Parser fixed."}
            ```
            """;
        OutcomeBlockParser.Parse(text).ShouldBe(AgentOutcome.PrReady("Parser fixed.", "The agent declared pr_ready."));
    }

    [Theory]
    [InlineData("no block at all")]
    [InlineData("```json\n{\"agentmesh\":\"pr_ready\"\n```")]                       // malformed JSON
    [InlineData("```json\n{\"agentmesh\":\"merged\",\"summary\":\"x\"}\n```")]       // unknown kind
    [InlineData("```json\n{\"status\":\"pr_ready\"}\n```")]                          // not ours
    [InlineData("```json\n{\"agentmesh\":\"needs_clarification\",\"questions\":[]}\n```")] // no questions
    public void Text_without_a_valid_block_declares_nothing(string text) => OutcomeBlockParser.Parse(text).ShouldBeNull();

    [Fact]
    public void An_unlabelled_fence_counts_and_questions_are_trimmed()
    {
        var outcome = OutcomeBlockParser.Parse("Questions:\n```\n{\"agentmesh\":\"needs_clarification\",\"questions\":[\" Which DB? \",\"\",\"Keep v1?\"]}\n```").ShouldNotBeNull();
        outcome.Kind.ShouldBe(AgentOutcomeKind.NeedsClarification);
        outcome.Questions.ShouldBe(["Which DB?", "Keep v1?"]);
    }

    [Fact]
    public void A_declared_clarification_wins_even_with_changes()
    {
        var outcome = OutcomeDecider.Decide(Run("```json\n{\"agentmesh\":\"needs_clarification\",\"questions\":[\"Which DB?\"]}\n```"), TwoCommits);
        outcome.Kind.ShouldBe(AgentOutcomeKind.NeedsClarification);
        outcome.Questions.ShouldBe(["Which DB?"]);
    }

    [Fact]
    public void A_declared_pr_ready_with_changes_keeps_the_agents_summary()
    {
        var outcome = OutcomeDecider.Decide(Run("```json\n{\"agentmesh\":\"pr_ready\",\"summary\":\"Parser fixed.\"}\n```"), TwoCommits);
        outcome.ShouldBe(AgentOutcome.PrReady("Parser fixed.", "The agent declared pr_ready."));
    }

    [Fact]
    public void A_declared_pr_ready_without_changes_fails()
    {
        var outcome = OutcomeDecider.Decide(Run("```json\n{\"agentmesh\":\"pr_ready\",\"summary\":\"Done.\"}\n```"), NoChanges);
        outcome.ShouldBe(AgentOutcome.Failed("The agent declared pr_ready, but the worktree has no new commits or changes."));
    }

    [Fact]
    public void Without_a_block_commits_mean_pr_ready_with_a_summary_from_the_commit_log()
    {
        var outcome = OutcomeDecider.Decide(Run("I changed some things."), TwoCommits);
        outcome.Kind.ShouldBe(AgentOutcomeKind.PrReady);
        outcome.Summary.ShouldBe("Commits:\n- Add parser\n- Fix off-by-one in parser");
    }

    [Fact]
    public void Without_a_block_uncommitted_changes_mean_pr_ready_too()
    {
        var outcome = OutcomeDecider.Decide(Run("Edited."), new WorkspaceChanges([], ["src/a.cs", "README.md"]));
        outcome.Kind.ShouldBe(AgentOutcomeKind.PrReady);
        outcome.Summary.ShouldBe("Changed files left uncommitted by the agent: src/a.cs, README.md");
    }

    [Fact]
    public void Without_a_block_and_without_changes_the_run_fails_with_the_reason()
    {
        OutcomeDecider.Decide(Run("I looked around."), NoChanges)
            .ShouldBe(AgentOutcome.Failed("The agent ended (success) without an outcome block and without changes."));
        OutcomeDecider.Decide(Run("", ProcessExitKind.AgentError, new AgentFailed(AgentErrorKind.Provider, "Overloaded (HTTP 529)")), NoChanges)
            .ShouldBe(AgentOutcome.Failed("The agent ended (Provider error: Overloaded (HTTP 529)) without an outcome block and without changes."));
    }

    [Fact]
    public void A_timed_out_run_without_a_block_fails_even_with_partial_commits()
    {
        var outcome = OutcomeDecider.Decide(Run("working…", ProcessExitKind.Timeout), TwoCommits);
        outcome.ShouldBe(AgentOutcome.Failed("The agent did not finish: timeout (exit code 1)."));
    }

    [Fact]
    public void The_prompt_instructions_show_both_blocks()
    {
        OutcomeProtocol.Instructions.ShouldContain("{\"agentmesh\":\"pr_ready\",\"summary\":");
        OutcomeProtocol.Instructions.ShouldContain("{\"agentmesh\":\"needs_clarification\",\"questions\":[");
    }
}
