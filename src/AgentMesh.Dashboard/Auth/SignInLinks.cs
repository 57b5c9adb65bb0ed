using System.Security.Cryptography;
using System.Text;

namespace AgentMesh.Dashboard.Auth;

/// <summary>
/// One-time sign-in tokens held in the node's memory: 32 random bytes each, compared in constant
/// time, removed when redeemed or expired. A token names the role its holder signs in with.
/// </summary>
/// <remarks>
/// Memory only, on purpose: a link is for the node that printed it and dies with it, and no
/// table or log ever holds one.
/// </remarks>
public sealed class SignInLinks(TimeProvider timeProvider)
{
    /// <summary>At most this many unredeemed links at once; the oldest is dropped beyond it.</summary>
    public const int MaxPending = 100;

    private readonly List<Pending> _pending = [];

    /// <summary>Mints a token for <paramref name="role"/> valid for <paramref name="lifetime"/>; with <paramref name="tenant"/>, for that tenant's repos only.</summary>
    public string Issue(string role, string issuedTo, TimeSpan lifetime, string? tenant = null)
    {
        if (!DashboardRoles.IsKnown(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Not a dashboard role.");
        }
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        lock (_pending)
        {
            if (_pending.Count >= MaxPending)
            {
                _pending.RemoveAt(0);
            }
            _pending.Add(new Pending(Encoding.ASCII.GetBytes(token), role, issuedTo, timeProvider.GetUtcNow() + lifetime, string.IsNullOrWhiteSpace(tenant) ? null : tenant));
        }
        return token;
    }

    /// <summary>The role and name the token grants, once: a second redemption, an expired or unknown token get null.</summary>
    public SignInGrant? Redeem(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }
        var presented = Encoding.ASCII.GetBytes(token);
        var now = timeProvider.GetUtcNow();
        lock (_pending)
        {
            _pending.RemoveAll(p => p.ExpiresAt <= now);
            // Every pending token is compared, each in constant time, so timing tells nothing about which or how much matched.
            Pending? match = null;
            foreach (var pending in _pending)
            {
                if (CryptographicOperations.FixedTimeEquals(pending.Token, presented))
                {
                    match = pending;
                }
            }
            if (match is null)
            {
                return null;
            }
            _pending.Remove(match);
            return new SignInGrant(match.Role, match.IssuedTo, match.Tenant);
        }
    }

    private sealed record Pending(byte[] Token, string Role, string IssuedTo, DateTimeOffset ExpiresAt, string? Tenant);
}

/// <param name="Role">One of <see cref="DashboardRoles"/>.</param>
/// <param name="Name">The name the person is shown and recorded under (e.g. in a chat message's author).</param>
/// <param name="Tenant">The tenant whose repos the person sees; null for every repo.</param>
public sealed record SignInGrant(string Role, string Name, string? Tenant = null);
