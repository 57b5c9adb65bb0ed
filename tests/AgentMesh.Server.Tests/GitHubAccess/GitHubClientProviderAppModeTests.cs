using System.Security.Cryptography;
using AgentMesh.FakeGitHub;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.GitHubAccess;

/// <summary>
/// App mode with one App installed on two organizations and no <c>GitHub:InstallationId</c>: the node's
/// calls about a repository act as the installation that serves it.
/// </summary>
public sealed class GitHubClientProviderAppModeTests : IAsyncLifetime
{
    private const string AppId = "5150";
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _publicKey = RSA.Create();
    private readonly TempDirectory _directory = new();
    private FakeGitHubServer _github = null!;
    private GitHubClientFactory _factory = null!;
    private GitHubClientProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubServer.StartAsync();
        // The fake keeps the key to check JWTs with: it lives as long as the test.
        _publicKey.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        _github.RegisterApp(AppId, _publicKey);
        _github.CreateRepo("octo", "widgets");
        _github.CreateRepo("acme", "api");
        var keyPath = _directory.Combine("app.pem");
        await File.WriteAllTextAsync(keyPath, _key.ExportRSAPrivateKeyPem());
        var rest = new GitHubClientOptions { BaseAddress = _github.ApiBaseAddress, MaxRetryAttempts = 0 };
        _factory = new GitHubClientFactory(rest, TimeProvider.System);
        var access = new GitHubAccessOptions { AppId = AppId, AppPrivateKeyPath = keyPath, GitBaseAddress = _github.WebBaseAddress };
        _provider = new GitHubClientProvider(_factory, access, rest, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _provider.Dispose();
        _factory.Dispose();
        await _github.DisposeAsync();
        _directory.Dispose();
        _key.Dispose();
        _publicKey.Dispose();
    }

    [Fact]
    public async Task Each_repository_is_served_by_its_own_installation()
    {
        var octo = _github.CreateInstallation(AppId, "octo", "octo/widgets");
        var acme = _github.CreateInstallation(AppId, "acme", "acme/api");

        var forWidgets = await _provider.ForRepositoryAsync("octo/widgets");
        var forApi = await _provider.ForRepositoryAsync("acme/api");
        var widgets = await forWidgets.GetRepositoryAsync("octo", "widgets");
        var api = await forApi.GetRepositoryAsync("acme", "api");
        var gitToken = await _provider.GetGitTokenForRepositoryAsync("acme/api");

        widgets.FullName.ShouldBe("octo/widgets");
        api.FullName.ShouldBe("acme/api");
        forWidgets.Fingerprint.ShouldBe($"installation:{octo.Id}");
        forApi.Fingerprint.ShouldBe($"installation:{acme.Id}");
        lock (_github.State.Gate)
        {
            _github.State.Tokens[gitToken].Installation!.Id.ShouldBe(acme.Id);
        }
    }

    [Fact]
    public async Task A_delivery_names_the_installation_so_no_lookup_is_needed()
    {
        var acme = _github.CreateInstallation(AppId, "acme", "acme/api");
        _factory.Installations.Learn("acme/api", acme.Id);

        var client = await _provider.ForRepositoryAsync("acme/api");

        client.Fingerprint.ShouldBe($"installation:{acme.Id}");
        _github.RepositoryInstallationLookups.ShouldBe(0);
    }
}
