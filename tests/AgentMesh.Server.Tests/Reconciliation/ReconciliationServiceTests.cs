using AgentMesh.Core.Jobs;
using AgentMesh.Server.Reconciliation;
using AgentMesh.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Reconciliation;

/// <summary>The background service's schedule, on a fake clock: passes at start, then one per interval.</summary>
public sealed class ReconciliationServiceTests
{
    [Fact]
    public async Task Jobs_and_invitations_are_reconciled_at_start_and_then_each_on_its_own_interval()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var early = await world.PrOpenedJobAsync("Merged while the node was down");
        var later = await world.PrOpenedJobAsync("Merged after start");
        world.GitHub.MergePullRequest(ReconciliationWorld.Repo, early.Pull);
        world.GitHub.CreateRepo("globex", "gadgets");
        world.GitHub.CreateRepo("initech", "tps");
        world.GitHub.InviteCollaborator("globex/gadgets", ReconciliationWorld.Bot);
        world.GitHub.ClearRequests();
        var laterPull = $"repos/acme/widgets/pulls/{later.Pull}";
        var clock = new FakeTimeProvider();
        var options = Options.Create(new ReconciliationOptions { Interval = TimeSpan.FromMinutes(5), InvitationInterval = TimeSpan.FromMinutes(1) });
        using var service = new ReconciliationService(
            world.NewReconciler(), world.NewInvitationAcceptor(), world.GitHubClients, options, clock, NullLogger<ReconciliationService>.Instance);

        await service.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.UntilAsync(
                async () => await world.StateOfAsync(early.Id) == JobState.Merged && world.RequestsTo("GET", laterPull) == 1,
                "the start-up pass to merge the first job and check the second job's open PR");
            await Eventually.UntilAsync(() => IsCollaborator(world, "globex/gadgets"), "the start-up check to accept the pending invitation");

            world.GitHub.MergePullRequest(ReconciliationWorld.Repo, later.Pull);
            world.GitHub.InviteCollaborator("initech/tps", ReconciliationWorld.Bot);
            clock.Advance(TimeSpan.FromMinutes(1));

            await Eventually.UntilAsync(() => IsCollaborator(world, "initech/tps"), "the invitation check one InvitationInterval after start");
            world.RequestsTo("GET", laterPull).ShouldBe(1, "the job pass waits for its own, longer interval");
            (await world.StateOfAsync(later.Id)).ShouldBe(JobState.PrOpened);

            clock.Advance(TimeSpan.FromMinutes(4));

            await Eventually.UntilAsync(
                async () => await world.StateOfAsync(later.Id) == JobState.Merged,
                "the job pass one Interval after start to merge the second job");
            world.RequestsTo("GET", laterPull).ShouldBe(2);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static bool IsCollaborator(ReconciliationWorld world, string repo)
    {
        lock (world.GitHub.State.Gate)
        {
            return world.GitHub.State.Repositories[repo].Collaborators.ContainsKey(ReconciliationWorld.Bot);
        }
    }
}
