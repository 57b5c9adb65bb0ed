using System.Security.Cryptography;
using System.Text;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Builds the RS256 JSON Web Token a GitHub App authenticates with. GitHub rejects tokens issued in its
/// future or living over 10 minutes, so <c>iat</c> is backdated 60 s against clock drift and <c>exp</c>
/// is 9 minutes after now.
/// </summary>
public static class GitHubAppJwt
{
    /// <summary>How far <c>iat</c> is backdated.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);

    /// <summary>How long after now the token expires; GitHub refuses an <c>exp</c> over 10 minutes ahead.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    /// <summary>Creates a token for <paramref name="appId"/> (the App id or client id) signed with <paramref name="privateKey"/>.</summary>
    public static string Create(string appId, RSA privateKey, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentNullException.ThrowIfNull(privateKey);
        var header = Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var claims = $"{{\"iat\":{(now - Backdate).ToUnixTimeSeconds()},\"exp\":{(now + Lifetime).ToUnixTimeSeconds()},\"iss\":\"{JsonEncode(appId)}\"}}";
        var payload = Base64Url(Encoding.UTF8.GetBytes(claims));
        var signingInput = header + "." + payload;
        var signature = privateKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string JsonEncode(string value) =>
        System.Text.Json.JsonEncodedText.Encode(value).ToString();
}
