using AgentMesh.Server.Reconciliation;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Reconciliation;

public sealed class ReconciliationOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid_and_documented_values()
    {
        var options = new ReconciliationOptions();

        new ReconciliationOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
        (options.Interval, options.InvitationInterval, options.PageSize).ShouldBe((TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(60), 100));
    }

    [Fact]
    public void Each_bad_value_is_reported_with_its_key()
    {
        var options = new ReconciliationOptions { Interval = TimeSpan.Zero, InvitationInterval = TimeSpan.FromSeconds(-1), PageSize = 501 };

        var result = new ReconciliationOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldBe(
        [
            "Reconciliation:Interval must be positive, not 00:00:00.",
            "Reconciliation:InvitationInterval must be positive, not -00:00:01.",
            "Reconciliation:PageSize must be between 1 and 500, not 501.",
        ]);
    }

    [Fact]
    public async Task A_bad_interval_stops_the_node_at_start_with_a_message_naming_the_key()
    {
        using var workDir = new TempDirectory("agentmesh-serve");
        await using var node = AgentMeshProgram.Start(workDir.Path, null, "serve", "--urls", "http://127.0.0.1:0", "--Reconciliation:InvitationInterval=00:00:00");

        var exitCode = await node.WaitForExitAsync();

        exitCode.ShouldBe(2);
        node.Stderr.ShouldContain("Reconciliation:InvitationInterval must be positive, not 00:00:00.");
    }
}
