using System.Security.Cryptography;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Authenticates as the GitHub App itself (a JWT), for the <c>/app</c> endpoints such as creating an
/// installation token. A JWT is reused until one minute before it expires.
/// </summary>
public sealed class GitHubAppCredential : IGitHubCredential, IDisposable
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);
    private readonly RSA _key;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private (string Jwt, DateTimeOffset ExpiresAt)? _current;

    /// <param name="appId">The App id (or client id), the JWT's <c>iss</c>.</param>
    /// <param name="privateKeyPem">The App's private key as downloaded from GitHub (PKCS#1 or PKCS#8 PEM).</param>
    public GitHubAppCredential(string appId, string privateKeyPem, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyPem);
        AppId = appId;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _key = RSA.Create();
        _key.ImportFromPem(privateKeyPem);
        Fingerprint = "app:" + AppId + ":" + Convert.ToHexStringLower(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()))[..8];
    }

    public string AppId { get; }

    /// <summary>
    /// <c>app:ID:KEY</c>, KEY a short hash of the public key: the factory keeps one client per fingerprint,
    /// and two keys of one App (GitHub allows a second during rotation) must not share a client's credential.
    /// </summary>
    public string Fingerprint { get; }

    public ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_current is not { } current || current.ExpiresAt - RenewBefore <= now)
            {
                current = (GitHubAppJwt.Create(AppId, _key, now), now + GitHubAppJwt.Lifetime);
                _current = current;
            }
            return ValueTask.FromResult("Bearer " + current.Jwt);
        }
    }

    public void Dispose() => _key.Dispose();

    public override string ToString() => Fingerprint;
}
