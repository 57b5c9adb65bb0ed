using System.Security.Cryptography;

namespace AgentMesh.GitHub.Webhooks;

/// <summary>
/// Signs a payload the way GitHub does, for senders (the fake GitHub, tests, the load benchmark).
/// Octokit.Webhooks verifies signatures (<c>WebhookSignatureValidator</c>) but has nothing to create one.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The <c>X-Hub-Signature-256</c> value: <c>sha256=</c> + lower-case hex HMAC-SHA256 of the exact body.</summary>
    public static string Compute(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> payload) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, payload));
}
