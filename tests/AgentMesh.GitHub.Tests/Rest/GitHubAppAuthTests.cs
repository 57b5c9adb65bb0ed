using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentMesh.GitHub.Rest;
using Octokit;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Rest;

/// <summary>GitHub App authentication: the RS256 JWT, and installation tokens cached until shortly before expiry.</summary>
public sealed class GitHubAppAuthTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "424242";
    private readonly RSA _key = RSA.Create(2048);
    private GitHubHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await GitHubHarness.StartAsync();
        var publicKey = RSA.Create();
        publicKey.ImportRSAPublicKey(_key.ExportRSAPublicKey(), out _);
        _h.GitHub.RegisterApp(AppId, publicKey);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public void Dispose() => _key.Dispose();

    [Fact]
    public void The_JWT_is_RS256_signed_with_iat_backdated_60_s_and_exp_9_minutes_ahead()
    {
        var now = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

        var parts = GitHubAppJwt.Create(AppId, _key, now).Split('.');

        parts.Length.ShouldBe(3);
        Encoding.UTF8.GetString(FromBase64Url(parts[0])).ShouldBe("""{"alg":"RS256","typ":"JWT"}""");
        using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
        claims.RootElement.GetProperty("iat").GetInt64().ShouldBe(now.ToUnixTimeSeconds() - 60);
        claims.RootElement.GetProperty("exp").GetInt64().ShouldBe(now.ToUnixTimeSeconds() + 540);
        claims.RootElement.GetProperty("iss").GetString().ShouldBe(AppId);
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .ShouldBeTrue();
    }

    [Fact]
    public async Task An_installation_client_creates_one_token_and_reuses_it_until_5_minutes_before_expiry()
    {
        var installation = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);
        var client = _h.Factory.ForInstallation(app, installation.Id);

        (await client.GetRepositoryAsync("octo", "widgets")).FullName.ShouldBe("octo/widgets");
        (await client.Octokit.GitHubApps.Installation.GetAllRepositoriesForCurrent()).Repositories.Select(r => r.FullName).ShouldBe(["octo/widgets"]);
        _h.GitHub.InstallationTokensIssued.ShouldBe(1);

        _h.Time.Clock.Advance(TimeSpan.FromMinutes(54));
        await client.GetRepositoryAsync("octo", "widgets");
        _h.GitHub.InstallationTokensIssued.ShouldBe(1);

        _h.Time.Clock.Advance(TimeSpan.FromMinutes(2));
        await client.GetRepositoryAsync("octo", "widgets");
        _h.GitHub.InstallationTokensIssued.ShouldBe(2);

        var tokenRequests = _h.GitHub.Requests.Where(r => r.Path == $"app/installations/{installation.Id}/access_tokens").ToList();
        tokenRequests.Count.ShouldBe(2);
        tokenRequests.ShouldAllBe(r => r.Identity == "app:" + AppId && r.StatusCode == 201);
        _h.GitHub.Requests.Where(r => r.Path.StartsWith("repos/", StringComparison.Ordinal)).ShouldAllBe(r => r.Identity == $"installation:{installation.Id}");
    }

    [Fact]
    public async Task One_App_serves_two_installations_each_with_its_own_token_and_repositories()
    {
        _h.GitHub.CreateRepo("acme", "api");
        var octo = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        var acme = _h.GitHub.CreateInstallation(AppId, "acme", "acme/api");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);

        var forOcto = _h.Factory.ForInstallation(app, octo.Id);
        var forAcme = _h.Factory.ForInstallation(app, acme.Id);
        (await forOcto.GetRepositoryAsync("octo", "widgets")).FullName.ShouldBe("octo/widgets");
        (await forAcme.GetRepositoryAsync("acme", "api")).FullName.ShouldBe("acme/api");
        await Should.ThrowAsync<NotFoundException>(() => forOcto.GetRepositoryAsync("acme", "api"));

        forOcto.ShouldNotBeSameAs(forAcme);
        forOcto.Fingerprint.ShouldBe($"installation:{octo.Id}");
        _h.GitHub.InstallationTokensIssued.ShouldBe(2);
        var gitToken = await _h.Factory.GetInstallationTokenAsync(app, acme.Id);
        gitToken.ShouldNotBeNullOrEmpty();
        _h.GitHub.InstallationTokensIssued.ShouldBe(2);
    }

    [Fact]
    public async Task A_repository_is_served_by_the_installation_its_deliveries_named_without_asking_GitHub()
    {
        _h.GitHub.CreateRepo("acme", "api");
        _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        var acme = _h.GitHub.CreateInstallation(AppId, "acme", "acme/api");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);
        _h.Factory.Installations.Learn("acme/api", acme.Id);

        var client = await _h.Factory.ForRepositoryAsync(app, "acme/api");

        client.Fingerprint.ShouldBe($"installation:{acme.Id}");
        (await client.GetRepositoryAsync("acme", "api")).FullName.ShouldBe("acme/api");
        _h.GitHub.RepositoryInstallationLookups.ShouldBe(0);
    }

    [Fact]
    public async Task A_repository_no_delivery_named_is_looked_up_as_the_App_once_until_the_entry_expires()
    {
        _h.GitHub.CreateRepo("acme", "api");
        _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        var acme = _h.GitHub.CreateInstallation(AppId, "acme", "acme/api");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);

        var first = await _h.Factory.ForRepositoryAsync(app, "acme/api");
        var second = await _h.Factory.ForRepositoryAsync(app, "acme/api");
        var lookupsBefore = _h.GitHub.RepositoryInstallationLookups;
        _h.Time.Clock.Advance(GitHubInstallationDirectory.Lifetime);
        await _h.Factory.ForRepositoryAsync(app, "acme/api");

        first.Fingerprint.ShouldBe($"installation:{acme.Id}");
        second.ShouldBeSameAs(first);
        lookupsBefore.ShouldBe(1);
        _h.GitHub.RepositoryInstallationLookups.ShouldBe(2);
        _h.GitHub.Requests.Where(r => r.Path == "repos/acme/api/installation").ShouldAllBe(r => r.Identity == "app:" + AppId);
    }

    [Fact]
    public async Task A_repository_the_App_is_not_installed_on_is_GitHubs_404()
    {
        _h.GitHub.CreateRepo("acme", "api");
        _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);

        await Should.ThrowAsync<NotFoundException>(() => _h.Factory.ForRepositoryAsync(app, "acme/api"));

        _h.Factory.Installations.Find("acme/api").ShouldBeNull();
    }

    [Fact]
    public async Task A_second_client_for_the_same_installation_shares_the_cached_token()
    {
        var installation = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        using var app = new GitHubAppCredential(AppId, _key.ExportPkcs8PrivateKeyPem(), _h.Time);

        await _h.Factory.ForInstallation(app, installation.Id).GetRepositoryAsync("octo", "widgets");
        await _h.Factory.ForInstallation(app, installation.Id).GetRepositoryAsync("octo", "widgets");

        _h.GitHub.InstallationTokensIssued.ShouldBe(1);
    }

    [Fact]
    public async Task An_installation_cannot_see_repositories_outside_it()
    {
        _h.GitHub.CreateRepo("octo", "secret-plans");
        var installation = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);

        var error = await Should.ThrowAsync<NotFoundException>(() => _h.Factory.ForInstallation(app, installation.Id).GetRepositoryAsync("octo", "secret-plans"));

        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_JWT_signed_by_another_key_is_refused_even_after_the_right_key_was_used()
    {
        var installation = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);
        await _h.Factory.ForApp(app).Octokit.GitHubApps.GetRepositoryInstallationForCurrent("octo", "widgets");
        using var otherKey = RSA.Create(2048);
        using var impostor = new GitHubAppCredential(AppId, otherKey.ExportRSAPrivateKeyPem(), _h.Time);

        var error = await Should.ThrowAsync<AuthorizationException>(() => _h.Factory.ForApp(impostor).CreateInstallationTokenAsync(installation.Id));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.ApiError.Message.ShouldBe("A JSON web token could not be decoded");
        _h.GitHub.InstallationTokensIssued.ShouldBe(0);
    }

    [Fact]
    public async Task A_revoked_installation_token_is_replaced_once_and_the_request_succeeds()
    {
        var installation = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);
        var client = _h.Factory.ForInstallation(app, installation.Id);
        await client.GetRepositoryAsync("octo", "widgets");

        _h.GitHub.RevokeInstallationTokens(installation.Id);
        var repo = await client.GetRepositoryAsync("octo", "widgets");

        repo.FullName.ShouldBe("octo/widgets");
        _h.GitHub.InstallationTokensIssued.ShouldBe(2);
        _h.GitHub.Requests.Where(r => r.Path == "repos/octo/widgets").Select(r => r.StatusCode).ShouldBe([200, 401, 304]);
    }

    [Fact]
    public async Task An_installation_token_past_its_hour_is_refused_as_bad_credentials()
    {
        var installation = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        using var app = new GitHubAppCredential(AppId, _key.ExportRSAPrivateKeyPem(), _h.Time);
        var token = await _h.Factory.ForApp(app).CreateInstallationTokenAsync(installation.Id);
        var client = _h.Factory.Create(new FixedCredential("Bearer " + token.Token));
        await client.GetRepositoryAsync("octo", "widgets");

        _h.Time.Clock.Advance(TimeSpan.FromMinutes(60));
        var error = await Should.ThrowAsync<AuthorizationException>(() => client.GetRepositoryAsync("octo", "widgets"));

        token.ExpiresAt.ShouldBe(_h.Time.GetUtcNow());
        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.ApiError.Message.ShouldBe("Bad credentials");
    }

    [Fact]
    public async Task A_JWT_with_exp_over_10_minutes_ahead_is_refused()
    {
        var now = _h.Time.GetUtcNow();
        var claims = $$"""{"iat":{{now.ToUnixTimeSeconds() - 60}},"exp":{{now.ToUnixTimeSeconds() + 1200}},"iss":"{{AppId}}"}""";
        var input = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8.ToArray()) + "." + Base64Url(Encoding.UTF8.GetBytes(claims));
        var jwt = input + "." + Base64Url(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var installation = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");

        var error = await Should.ThrowAsync<AuthorizationException>(() =>
            new GitHubAppClient(_h.Factory.Create(new FixedCredential("Bearer " + jwt)).Octokit).CreateInstallationTokenAsync(installation.Id));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.ApiError.Message.ShouldBe("'Expiration time' claim ('exp') is too far in the future");
    }

    private sealed class FixedCredential(string authorization) : IGitHubCredential
    {
        public string Fingerprint { get; } = "fixed:" + Guid.NewGuid().ToString("N");

        public ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken) => ValueTask.FromResult(authorization);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
