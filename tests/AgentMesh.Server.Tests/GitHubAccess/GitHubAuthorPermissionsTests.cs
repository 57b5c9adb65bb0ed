using AgentMesh.FakeGitHub;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.GitHubAccess;
using Microsoft.Extensions.Logging.Abstractions;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.GitHubAccess;

/// <summary>The permission check behind admission, against the fake GitHub: which answers it keeps, and for how long.</summary>
public sealed class GitHubAuthorPermissionsTests : IAsyncLifetime
{
    private const string Repo = "octo/widgets";
    private const string PermissionPath = "repos/octo/widgets/collaborators/";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private FakeGitHubServer _github = null!;
    private GitHubClientFactory _factory = null!;
    private GitHubClientProvider _clients = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubServer.StartAsync();
        _github.CreateUser("agentmesh-bot", "Bot");
        _github.CreateUser("maria", "User");
        _github.CreateUser("mallory", "User");
        _github.CreateRepo("octo", "widgets");
        _github.AddCollaborator(Repo, "agentmesh-bot", "write");
        var rest = new GitHubClientOptions { BaseAddress = _github.ApiBaseAddress, MaxRetryAttempts = 0 };
        _factory = new GitHubClientFactory(rest, TimeProvider.System);
        _clients = new GitHubClientProvider(_factory, new GitHubAccessOptions { Token = _github.CreateToken("agentmesh-bot") }, rest, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        _factory.Dispose();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task A_writer_is_asked_about_once_within_the_cache_duration_and_again_after_it()
    {
        _github.AddCollaborator(Repo, "maria", "write");
        var permissions = Permissions(TimeSpan.FromMinutes(1));

        (await permissions.CanWriteAsync(Repo, "maria")).ShouldBeTrue();
        (await permissions.CanWriteAsync("Octo/Widgets", "Maria")).ShouldBeTrue("GitHub's names ignore case");
        _time.Advance(TimeSpan.FromSeconds(59));
        (await permissions.CanWriteAsync(Repo, "maria")).ShouldBeTrue();
        PermissionReads("maria").ShouldBe(1, "a confirmed writer is not asked about again within the minute");

        // Revoked: heard once the kept answer expires.
        _github.AddCollaborator(Repo, "maria", "read");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await permissions.CanWriteAsync(Repo, "maria")).ShouldBeFalse();
        PermissionReads("maria").ShouldBe(2);
    }

    [Fact]
    public async Task A_no_is_never_kept_so_a_user_given_write_access_is_heard_at_once()
    {
        var permissions = Permissions(TimeSpan.FromMinutes(1));

        (await permissions.CanWriteAsync(Repo, "mallory")).ShouldBeFalse();
        _github.AddCollaborator(Repo, "mallory", "write");
        (await permissions.CanWriteAsync(Repo, "mallory")).ShouldBeTrue();
        PermissionReads("mallory").ShouldBe(2);
    }

    [Fact]
    public async Task A_cache_duration_of_zero_asks_every_time()
    {
        _github.AddCollaborator(Repo, "maria", "admin");
        var permissions = Permissions(TimeSpan.Zero);

        (await permissions.CanWriteAsync(Repo, "maria")).ShouldBeTrue();
        (await permissions.CanWriteAsync(Repo, "maria")).ShouldBeTrue();
        PermissionReads("maria").ShouldBe(2);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("01:00:01")]
    public void A_cache_duration_outside_zero_to_an_hour_is_refused(string duration)
    {
        var options = new GitHubAccessOptions { Token = "t", PermissionCacheDuration = TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture) };

        options.Validate().ShouldContain(p => p.Contains("GitHub:PermissionCacheDuration", StringComparison.Ordinal));
    }

    private GitHubAuthorPermissions Permissions(TimeSpan cacheDuration) =>
        new(_clients, new GitHubAccessOptions { Token = "unused", PermissionCacheDuration = cacheDuration }, _time, NullLogger<GitHubAuthorPermissions>.Instance);

    private int PermissionReads(string login) =>
        _github.Requests.Count(r => r.Method == "GET" && r.Path.Contains(PermissionPath + login + "/permission", StringComparison.OrdinalIgnoreCase));
}
