using System.Security.Cryptography;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Reconciliation;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Reconciliation;

/// <summary>Repository invitations to the bot's user (token mode) against the fake GitHub.</summary>
public sealed class InvitationAcceptorTests
{
    [Fact]
    public async Task Pending_invitations_to_the_bot_are_accepted_and_make_it_a_collaborator()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        world.GitHub.CreateRepo("globex", "gadgets");
        world.GitHub.CreateRepo("initech", "tps");
        world.GitHub.InviteCollaborator("globex/gadgets", ReconciliationWorld.Bot, "write");
        world.GitHub.InviteCollaborator("initech/tps", ReconciliationWorld.Bot, "maintain");
        world.GitHub.InviteCollaborator("initech/tps", "someone-else"); // not the bot's to accept

        var acceptor = world.NewInvitationAcceptor();
        var accepted = await acceptor.AcceptPendingAsync();

        acceptor.Applies.ShouldBeTrue();
        accepted.ShouldBe(["globex/gadgets", "initech/tps"], ignoreOrder: true);
        lock (world.GitHub.State.Gate)
        {
            world.GitHub.State.Repositories["globex/gadgets"].Collaborators[ReconciliationWorld.Bot].ShouldBe("write");
            world.GitHub.State.Repositories["initech/tps"].Collaborators[ReconciliationWorld.Bot].ShouldBe("maintain");
            world.GitHub.State.Invitations.Select(i => i.Invitee.Login).ShouldBe(["someone-else"]);
        }
        world.GitHub.Requests.Count(r => r.Method == "PATCH" && r.Path.StartsWith("user/repository_invitations/", StringComparison.Ordinal) && r.StatusCode == 204)
            .ShouldBe(2);

        (await acceptor.AcceptPendingAsync()).ShouldBeEmpty("nothing is left pending");
    }

    [Fact]
    public async Task A_GitHub_App_never_looks_for_invitations()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        world.GitHub.InviteCollaborator(ReconciliationWorld.Repo, ReconciliationWorld.Bot);
        var keyPath = Path.Combine(world.TempPath, "app.pem");
        using (var key = RSA.Create(2048))
        {
            await File.WriteAllTextAsync(keyPath, key.ExportRSAPrivateKeyPem());
        }
        var app = new GitHubAccessOptions { AppId = "12345", AppPrivateKeyPath = keyPath, InstallationId = 1, GitBaseAddress = world.GitHub.WebBaseAddress };
        using var appClients = new GitHubClientProvider(world.Factory, app, world.RestOptions, TimeProvider.System);
        world.GitHub.ClearRequests();

        var acceptor = new InvitationAcceptor(appClients, app, NullLogger<InvitationAcceptor>.Instance);
        var accepted = await acceptor.AcceptPendingAsync();

        acceptor.Applies.ShouldBeFalse();
        accepted.ShouldBeEmpty();
        world.GitHub.Requests.ShouldBeEmpty("App mode makes no request for invitations");
        lock (world.GitHub.State.Gate)
        {
            world.GitHub.State.Invitations.Count.ShouldBe(1, "the invitation stays pending");
        }
    }
}
