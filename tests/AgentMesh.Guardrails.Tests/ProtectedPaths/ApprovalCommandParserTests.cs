using AgentMesh.Guardrails.ProtectedPaths;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.ProtectedPaths;

public sealed class ApprovalCommandParserTests
{
    private readonly ApprovalCommandParser _parser = new();

    [Theory]
    [InlineData("@agentmesh approve")]
    [InlineData("  @AgentMesh   Approve  ")]
    [InlineData("Looked at the workflow change, it only bumps the Node version.\n\n@agentmesh approve — fine by me")]
    [InlineData("@agentmesh approve\r\nthanks")]
    public void Approval_on_a_line_of_its_own_is_recognised(string body)
    {
        _parser.ContainsApproval(body).ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("I would not @agentmesh approve this")]
    [InlineData("> @agentmesh approve")]
    [InlineData("```\n@agentmesh approve\n```")]
    [InlineData("@agentmesh approved")]
    [InlineData("@agentmeshbot approve")]
    [InlineData("`@agentmesh approve`")]
    public void Mentions_quotes_code_and_lookalikes_do_not_approve(string body)
    {
        _parser.ContainsApproval(body).ShouldBeFalse();
    }

    [Fact]
    public void Only_a_human_with_write_access_approves()
    {
        _parser.Evaluate("@agentmesh approve", "maintainer", authorHasWriteAccess: true, authorIsBot: false).ShouldBe(ApprovalVerdict.Approved);
        _parser.Evaluate("@agentmesh approve", "drive-by", authorHasWriteAccess: false, authorIsBot: false).ShouldBe(ApprovalVerdict.RefusedNoWriteAccess);
        _parser.Evaluate("@agentmesh approve", "agentmesh[bot]", authorHasWriteAccess: true, authorIsBot: false).ShouldBe(ApprovalVerdict.RefusedBot);
        _parser.Evaluate("@agentmesh approve", "ci-user", authorHasWriteAccess: true, authorIsBot: true).ShouldBe(ApprovalVerdict.RefusedBot);
        _parser.Evaluate("LGTM", "maintainer", authorHasWriteAccess: true, authorIsBot: false).ShouldBe(ApprovalVerdict.NotACommand);
    }

    [Fact]
    public void A_repository_with_another_mention_uses_it()
    {
        var parser = new ApprovalCommandParser("@robot");

        parser.ContainsApproval("@robot approve").ShouldBeTrue();
        parser.ContainsApproval("@agentmesh approve").ShouldBeFalse();
    }
}
