using AgentMesh.Guardrails.Audit;
using AgentMesh.Guardrails.ProtectedPaths;
using AgentMesh.Guardrails.Secrets;
using AgentMesh.Guardrails.Tests.Secrets;
using Shouldly;

namespace AgentMesh.Guardrails.Tests;

public sealed class PrePushCheckTests
{
    private readonly PrePushCheck _check = new(new ProtectedPathMatcher(), new SecretScanner());

    private static string AddFile(string path, string line) => $"""
        diff --git a/{path} b/{path}
        new file mode 100644
        --- /dev/null
        +++ b/{path}
        @@ -0,0 +1 @@
        +{line}
        """;

    [Fact]
    public void An_ordinary_change_is_pushed()
    {
        var decision = _check.Check(AddFile("src/a.cs", "var x = 1;"), NumstatParser.Parse("1\t0\tsrc/a.cs"), ["Fix the bug"], approved: false);

        decision.Verdict.ShouldBe(PrePushVerdict.Push);
        decision.Comment.ShouldBeNull();
    }

    [Fact]
    public void A_workflow_change_waits_for_approval_and_is_pushed_once_approved()
    {
        var diff = AddFile(".github/workflows/release.yml", "on: push");
        var changes = NumstatParser.Parse("1\t0\t.github/workflows/release.yml");

        var waiting = _check.Check(diff, changes, ["Add release workflow"], approved: false);
        var approved = _check.Check(diff, changes, ["Add release workflow"], approved: true);

        waiting.Verdict.ShouldBe(PrePushVerdict.NeedsApproval);
        waiting.Comment.ShouldBe(ProtectedPathMatcher.ApprovalRequestComment(waiting.ProtectedPaths));
        approved.Verdict.ShouldBe(PrePushVerdict.Push);
    }

    [Fact]
    public void A_credential_blocks_the_push_even_when_approved_and_commit_messages_are_scanned_too()
    {
        var key = FakeCredentials.Make("sk-ant-api03-", 90);
        var pat = FakeCredentials.Make("ghp_", 36);

        var decision = _check.Check(
            AddFile(".github/workflows/ci.yml", $"ANTHROPIC_API_KEY: {key}"),
            NumstatParser.Parse("1\t0\t.github/workflows/ci.yml"),
            [$"Use token {pat} for CI"],
            approved: true);

        decision.Verdict.ShouldBe(PrePushVerdict.Blocked);
        decision.Secrets.Select(s => s.ToString()).ShouldBe(
        [
            ".github/workflows/ci.yml:1: Anthropic API key",
            "commit message:1: GitHub personal access token (ghp_)",
        ]);
        decision.Comment!.ShouldNotContain(key);
        decision.Comment!.ShouldNotContain(pat);
    }
}
