using AgentMesh.Agents.Profiles;
using AgentMesh.Core.Repos;
using AgentMesh.Guardrails.Cost;
using AgentMesh.Server.Worker;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Worker;

/// <summary>A run's cost cap comes from its repository and its profile: per measure, the lower limit applies.</summary>
public sealed class RunCostCapForTests
{
    [Fact]
    public void Neither_sets_a_cap_so_there_is_none()
    {
        JobExecution.CostCapFor(new RepoConfig(), new AgentProfile()).ShouldBe(RunCostCap.None);
    }

    [Fact]
    public void Each_measure_takes_the_lower_of_the_two_and_one_alone_applies_as_set()
    {
        var repo = new RepoConfig { MaxRunCostUsd = 2.00m, MaxRunTokens = 500_000 };
        var profile = new AgentProfile { MaxRunCostUsd = 5.00m, MaxRunTokens = 100_000 };

        JobExecution.CostCapFor(repo, profile).ShouldBe(new RunCostCap(2.00m, 100_000));
        JobExecution.CostCapFor(new RepoConfig { MaxRunTokens = 7 }, null).ShouldBe(new RunCostCap(null, 7));
        JobExecution.CostCapFor(new RepoConfig(), new AgentProfile { MaxRunCostUsd = 0.5m }).ShouldBe(new RunCostCap(0.5m, null));
    }
}
