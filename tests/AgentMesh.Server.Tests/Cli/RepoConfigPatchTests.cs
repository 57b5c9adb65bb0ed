using System.Text.Json.Nodes;
using AgentMesh.Cli;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Cli;

/// <summary>What <c>repos set</c> sends back: only the named settings change, everything else is kept as the server sent it.</summary>
public sealed class RepoConfigPatchTests
{
    [Fact]
    public void Only_the_given_settings_change_and_unknown_ones_are_kept()
    {
        var current = JsonNode.Parse("""
            {"enabled":false,"autoSolve":true,"triggerLabel":"agentmesh","allowedUsers":["carol"],"maxConcurrentJobs":2,
             "hourlyTokenBudget":1000,"dailyTokenBudget":null,"agentProfile":"claude","futureSetting":{"x":1}}
            """)!.AsObject();

        var patched = new RepoConfigPatch(Enabled: true, AllowedUsers: RepoConfigPatch.ParseList(" alice , bob,"), DailyTokenBudget: 5000).ApplyTo(current);

        patched.ToJsonString().ShouldBe(
            """{"enabled":true,"autoSolve":true,"triggerLabel":"agentmesh","allowedUsers":["alice","bob"],"maxConcurrentJobs":2,"hourlyTokenBudget":1000,"dailyTokenBudget":5000,"agentProfile":"claude","futureSetting":{"x":1}}""");
        current["enabled"]!.GetValue<bool>().ShouldBeFalse("the server's copy is not modified");
    }

    [Fact]
    public void Empty_values_turn_settings_off()
    {
        var current = JsonNode.Parse("""{"triggerLabel":"agentmesh","allowedUsers":["carol"],"hourlyTokenBudget":1000,"dailyTokenBudget":9000}""")!.AsObject();

        var patched = new RepoConfigPatch(TriggerLabel: "", AllowedUsers: RepoConfigPatch.ParseList(""), HourlyTokenBudget: 0, DailyTokenBudget: 0).ApplyTo(current);

        patched.ToJsonString().ShouldBe("""{"triggerLabel":null,"allowedUsers":[],"hourlyTokenBudget":null,"dailyTokenBudget":null}""");
    }
}
