using System.Security.Cryptography;

namespace AgentMesh.FakeGitHub.Model;

/// <summary>The fake's whole in-memory world. Every read or write holds <see cref="Gate"/>.</summary>
public sealed class FakeGitHubState
{
    private long _nextId = 1000;

    public Lock Gate { get; } = new();

    public Dictionary<string, FakeUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, FakeRepository> Repositories { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Tokens (PATs and issued installation tokens) to whom they authenticate.</summary>
    public Dictionary<string, FakeIdentity> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Registered Apps: id to the public key their JWTs are checked with.</summary>
    public Dictionary<string, RSA> Apps { get; } = new(StringComparer.Ordinal);

    public Dictionary<long, FakeInstallation> Installations { get; } = [];

    public List<FakeInvitation> Invitations { get; } = [];

    /// <summary>Organization login to member logins.</summary>
    public Dictionary<string, HashSet<string>> OrganizationMembers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Primary rate-limit windows per identity key.</summary>
    public Dictionary<string, FakeRateLimit> RateLimits { get; } = new(StringComparer.Ordinal);

    public long NextId() => ++_nextId;
}
