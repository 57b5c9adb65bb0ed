namespace AgentMesh.Dashboard.Auth;

/// <summary>
/// GitHub sign-in (section <c>Dashboard:GitHubOAuth</c>): on when both <see cref="ClientId"/> and
/// <see cref="ClientSecret"/> are set. Register an OAuth App on GitHub with the callback
/// <c>{dashboard}/signin/github/callback</c>.
/// </summary>
public sealed class GitHubOAuthOptions
{
    public const string SectionName = "Dashboard:GitHubOAuth";

    /// <summary>The OAuth App's client id. Default none (GitHub sign-in off).</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth App's client secret: from the environment only (<c>AGENTMESH_Dashboard__GitHubOAuth__ClientSecret</c>), never a settings file, never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>GitHub logins that sign in as dashboard admins (every tenant). Default none.</summary>
    public List<string> AdminLogins { get; set; } = [];

    /// <summary>GitHub's REST address for <c>/user</c> and <c>/user/orgs</c>; defaults to <c>GitHub:Rest:BaseAddress</c>, else https://api.github.com/.</summary>
    public Uri ApiAddress { get; set; } = new("https://api.github.com/");

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    public bool IsAdmin(string login) => AdminLogins.Contains(login, StringComparer.OrdinalIgnoreCase);

    /// <summary>Problems with the settings, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ClientId) != string.IsNullOrWhiteSpace(ClientSecret))
        {
            return [$"{SectionName}:{nameof(ClientId)} and {SectionName}:{nameof(ClientSecret)} go together: set both for GitHub sign-in, or neither."];
        }
        return [];
    }
}
