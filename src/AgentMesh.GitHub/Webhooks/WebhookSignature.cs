using System.Security.Cryptography;

namespace AgentMesh.GitHub.Webhooks;

/// <summary>GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> + lower-case hex HMAC-SHA256 of the exact raw body.</summary>
public static class WebhookSignature
{
    private const string Prefix = "sha256=";

    /// <summary>The header value GitHub would send for <paramref name="payload"/> signed with <paramref name="secret"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> payload) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, payload));

    /// <summary>
    /// Parses the header into the 32 digest bytes, or null when it is not <c>sha256=</c> + 64 hex digits.
    /// </summary>
    public static byte[]? ParseHeader(string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
        {
            return null;
        }
        try
        {
            return Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="expectedDigest"/> is the HMAC of <paramref name="payload"/> under <paramref name="secret"/>,
    /// compared in constant time so the answer's timing leaks nothing about the right digest.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> expectedDigest)
    {
        Span<byte> actual = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, payload, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expectedDigest);
    }

    /// <summary>Checks a header against a raw body and one secret.</summary>
    public static bool Verify(string? header, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> payload) =>
        ParseHeader(header) is { } digest && Matches(secret, payload, digest);
}
