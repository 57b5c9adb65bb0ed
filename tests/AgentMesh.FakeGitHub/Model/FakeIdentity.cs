namespace AgentMesh.FakeGitHub.Model;

/// <summary>Who a request is authenticated as: a user's token, an installation token (which expires), or an App's JWT.</summary>
public sealed record FakeIdentity(string Key, FakeUser? User, FakeInstallation? Installation, string? AppId, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>The account shown as the author of what this identity creates.</summary>
    public FakeUser Actor => User ?? new FakeUser(900000 + (Installation?.Id ?? 0), $"agentmesh-app-{Installation?.AppId ?? AppId}[bot]", "Bot");
}
