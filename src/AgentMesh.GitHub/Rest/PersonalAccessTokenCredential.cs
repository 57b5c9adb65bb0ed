using System.Security.Cryptography;
using System.Text;

namespace AgentMesh.GitHub.Rest;

/// <summary>A personal access token (classic or fine-grained), sent as <c>Authorization: Bearer</c>.</summary>
public sealed class PersonalAccessTokenCredential : IGitHubCredential
{
    private readonly string _authorization;

    public PersonalAccessTokenCredential(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _authorization = "Bearer " + token;
        Fingerprint = "pat:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];
    }

    public string Fingerprint { get; }

    public ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_authorization);

    /// <summary>Never the token itself.</summary>
    public override string ToString() => Fingerprint;
}
