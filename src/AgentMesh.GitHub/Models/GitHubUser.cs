namespace AgentMesh.GitHub.Models;

/// <summary>A user, bot or organization account as GitHub embeds it in payloads (<c>sender</c>, <c>user</c>, <c>owner</c>).</summary>
public sealed class GitHubUser
{
    public long Id { get; init; }

    public string Login { get; init; } = "";

    /// <summary><c>User</c>, <c>Bot</c> or <c>Organization</c>.</summary>
    public string? Type { get; init; }

    public string? HtmlUrl { get; init; }
}
