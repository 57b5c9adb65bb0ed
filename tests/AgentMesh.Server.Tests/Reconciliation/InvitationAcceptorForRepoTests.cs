using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Reconciliation;

/// <summary>The dashboard's "connect" accepts the invitation to the one repository it connects, and no other.</summary>
public sealed class InvitationAcceptorForRepoTests
{
    [Fact]
    public async Task Only_the_invitation_to_the_named_repository_is_accepted()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        world.GitHub.CreateRepo("globex", "gadgets");
        world.GitHub.CreateRepo("initech", "tps");
        world.GitHub.InviteCollaborator("globex/gadgets", ReconciliationWorld.Bot, "admin");
        world.GitHub.InviteCollaborator("initech/tps", ReconciliationWorld.Bot, "write");
        var acceptor = world.NewInvitationAcceptor();

        (await acceptor.AcceptForAsync("Globex/Gadgets")).ShouldBeTrue();

        lock (world.GitHub.State.Gate)
        {
            world.GitHub.State.Repositories["globex/gadgets"].Collaborators[ReconciliationWorld.Bot].ShouldBe("admin");
            world.GitHub.State.Invitations.Select(i => i.Repository.FullName).ShouldBe(["initech/tps"]);
        }
        (await acceptor.AcceptForAsync("globex/gadgets")).ShouldBeFalse("nothing is pending for it any more");
        (await acceptor.AcceptForAsync("acme/unknown")).ShouldBeFalse();
    }
}
