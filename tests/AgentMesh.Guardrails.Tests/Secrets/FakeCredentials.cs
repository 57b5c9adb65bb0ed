namespace AgentMesh.Guardrails.Tests.Secrets;

/// <summary>
/// Credential-shaped strings built at run time, so this repository's own files never contain one (a host's
/// push protection, or this very scanner, would rightly flag them).
/// </summary>
internal static class FakeCredentials
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary><paramref name="prefix"/> followed by <paramref name="length"/> seeded random characters from <paramref name="alphabet"/>.</summary>
    public static string Make(string prefix, int length, string alphabet = Alphanumeric, int seed = 7)
    {
        var random = new Random(seed);
        return prefix + new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    public static string Upper(string prefix, int length) => Make(prefix, length, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");

    public static string Base64(int length, int seed = 11) => Make("", length, Alphanumeric + "+/", seed);
}
