using AgentMesh.Guardrails.ProtectedPaths;
using Shouldly;

namespace AgentMesh.Guardrails.Tests;

public sealed class GuardrailOptionsTests
{
    [Fact]
    public void The_defaults_protect_workflows_cap_nothing_and_use_no_proxy()
    {
        var options = new GuardrailOptions();

        options.Validate().ShouldBeEmpty();
        options.CreateProtectedPathMatcher().Match([".github/workflows/ci.yml"]).ShouldBe([new ProtectedPathHit(".github/workflows/ci.yml", ".github/workflows/**")]);
        options.CostCap.MaxUsd.ShouldBeNull();
        options.CostCap.MaxTokens.ShouldBeNull();
        options.CreateEgressAllowlist().ShouldBeNull();
    }

    [Fact]
    public void Every_problem_is_named()
    {
        var options = new GuardrailOptions
        {
            ProtectedPaths = [" "],
            MaxRunCostUsd = -1m,
            MaxRunTokens = 0,
            EgressAllowlist = ["api.anthropic.com", "api.openai.com:99999"],
        };

        options.Validate().ShouldBe(
        [
            "ProtectedPaths must not contain a blank pattern.",
            "MaxRunCostUsd must be positive or null for no limit (was -1).",
            "MaxRunTokens must be positive or null for no limit (was 0).",
            "EgressAllowlist: Egress allowlist entry \"api.openai.com:99999\" is invalid: '99999' is not a port (1-65535).",
        ]);
    }

    [Fact]
    public void Configured_values_reach_the_guardrails()
    {
        var options = new GuardrailOptions { ProtectedPaths = ["deploy/**"], MaxRunCostUsd = 3m, EgressAllowlist = ["api.anthropic.com"] };

        options.CreateProtectedPathMatcher().Match([".github/workflows/ci.yml", "deploy/prod.yaml"]).Select(h => h.Path).ShouldBe(["deploy/prod.yaml"]);
        options.CostCap.MaxUsd.ShouldBe(3m);
        options.CreateEgressAllowlist()!.IsAllowed("api.anthropic.com", 443).ShouldBeTrue();
    }
}
