namespace AgentMesh.GitHub.Rest.Responses;

/// <summary>Answer of <c>POST /app/installations/{id}/access_tokens</c>; the token lives one hour.</summary>
public sealed class InstallationAccessToken
{
    public string Token { get; init; } = "";

    public DateTimeOffset ExpiresAt { get; init; }
}
