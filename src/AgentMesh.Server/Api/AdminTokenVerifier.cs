using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Api;

/// <summary>
/// Checks a presented admin token against the configured one in constant time. Both are hashed
/// with SHA-256 first, so the comparison always runs over 32 bytes and leaks neither the
/// content nor the length of the configured token through timing.
/// </summary>
public sealed class AdminTokenVerifier
{
    private readonly byte[]? _expectedHash;

    public AdminTokenVerifier(IOptions<AdminOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var admin = options.Value;
        _expectedHash = admin.HasToken ? SHA256.HashData(Encoding.UTF8.GetBytes(admin.Token!)) : null;
    }

    /// <summary>False when no token is configured: the admin API is then disabled.</summary>
    public bool Enabled => _expectedHash is not null;

    /// <summary>True when <paramref name="presented"/> is the configured token.</summary>
    public bool Matches(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (_expectedHash is null)
        {
            return false;
        }
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash);
    }
}
