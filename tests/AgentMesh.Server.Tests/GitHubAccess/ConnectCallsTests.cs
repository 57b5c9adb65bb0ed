using System.Security.Cryptography;
using AgentMesh.FakeGitHub;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.Api.Repos;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.GitHubAccess;

/// <summary>The GitHub calls behind the dashboard's "connect", against the fake GitHub's real JSON shapes.</summary>
public sealed class ConnectCallsTests : IAsyncLifetime
{
    private const string AppId = "5151";
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _publicKey = RSA.Create();
    private readonly TempDirectory _directory = new();
    private FakeGitHubServer _github = null!;
    private GitHubClientFactory _factory = null!;
    private GitHubClientOptions _rest = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubServer.StartAsync();
        _publicKey.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        _github.RegisterApp(AppId, _publicKey);
        _github.CreateUser("agentmesh-bot", "Bot");
        _github.CreateRepo("octo", "widgets");
        _github.CreateRepo("octo", "gadgets", isPrivate: true);
        _github.CreateRepo("acme", "api");
        _rest = new GitHubClientOptions { BaseAddress = _github.ApiBaseAddress, MaxRetryAttempts = 0 };
        _factory = new GitHubClientFactory(_rest, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _github.DisposeAsync();
        _directory.Dispose();
        _key.Dispose();
        _publicKey.Dispose();
    }

    [Fact]
    public async Task A_token_lists_its_users_repositories_and_an_installation_the_ones_it_was_given()
    {
        _github.AddCollaborator("octo/gadgets", "agentmesh-bot", "admin");
        using var token = new GitHubClientProvider(_factory, new GitHubAccessOptions { Token = _github.CreateToken("agentmesh-bot") }, _rest, TimeProvider.System);
        var installation = _github.CreateInstallation(AppId, "octo", "octo/widgets", "octo/gadgets");
        var keyPath = _directory.Combine("app.pem");
        await File.WriteAllTextAsync(keyPath, _key.ExportRSAPrivateKeyPem());
        using var app = new GitHubClientProvider(_factory, new GitHubAccessOptions { AppId = AppId, AppPrivateKeyPath = keyPath, InstallationId = installation.Id }, _rest, TimeProvider.System);

        var mine = await token.For().ListRepositoriesForCurrentUserAsync();
        var given = await app.For().ListInstallationRepositoriesAsync();

        mine.Select(r => (r.FullName, r.Private)).ShouldBe([("octo/gadgets", true)]);
        given.Select(r => r.FullName).ShouldBe(["octo/widgets", "octo/gadgets"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_webhook_is_created_as_json_for_the_events_AgentMesh_acts_on_with_the_secret_given()
    {
        using var token = new GitHubClientProvider(_factory, new GitHubAccessOptions { Token = _github.CreateToken("agentmesh-bot") }, _rest, TimeProvider.System);
        var secret = RepoWebhookSecrets.NewSecret();

        var created = await token.For().CreateRepositoryWebhookAsync("acme", "api", new Uri("https://agentmesh.example/webhooks/github"), secret, DashboardRepoConnector.Events);

        lock (_github.State.Gate)
        {
            var hook = _github.State.Repositories["acme/api"].Hooks.ShouldHaveSingleItem();
            hook.Id.ShouldBe(created.Id);
            hook.Url.ShouldBe(new Uri("https://agentmesh.example/webhooks/github"));
            hook.Secret.ShouldBe(secret);
            hook.ContentType.ShouldBe("json");
            hook.Events.ShouldBe(["issues", "issue_comment", "pull_request", "pull_request_review", "pull_request_review_comment"]);
        }
        created.Config["secret"].ShouldNotBe(secret, "GitHub answers with the secret masked");
    }
}
