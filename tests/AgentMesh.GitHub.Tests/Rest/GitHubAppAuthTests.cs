using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentMesh.GitHub.Rest;
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
        (await client.ListInstallationRepositoriesAsync()).Select(r => r.FullName).ShouldBe(["octo/widgets"]);
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

        var error = await Should.ThrowAsync<GitHubApiException>(() => _h.Factory.ForInstallation(app, installation.Id).GetRepositoryAsync("octo", "secret-plans"));

        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_JWT_signed_by_another_key_is_refused()
    {
        var installation = _h.GitHub.CreateInstallation(AppId, "octo", "octo/widgets");
        using var otherKey = RSA.Create(2048);
        using var impostor = new GitHubAppCredential(AppId, otherKey.ExportRSAPrivateKeyPem(), _h.Time);

        var error = await Should.ThrowAsync<GitHubApiException>(() => _h.Factory.ForApp(impostor).CreateInstallationTokenAsync(installation.Id));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.Error.Message.ShouldBe("A JSON web token could not be decoded");
        _h.GitHub.InstallationTokensIssued.ShouldBe(0);
    }

    private static byte[] FromBase64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
