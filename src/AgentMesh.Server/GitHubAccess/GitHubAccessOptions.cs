namespace AgentMesh.Server.GitHubAccess;

/// <summary>
/// How this node authenticates to GitHub (section <c>GitHub</c>). Either a personal access token,
/// or a GitHub App (id + private key; the installation comes from each webhook, or
/// <see cref="InstallationId"/>). Secrets belong in the environment (<c>AGENTMESH_GitHub__Token</c>) or a
/// file the node reads, never on the command line.
/// </summary>
public sealed class GitHubAccessOptions
{
    public const string SectionName = "GitHub";

    /// <summary>A personal access token (classic or fine-grained). Default none.</summary>
    public string? Token { get; set; }

    /// <summary>The GitHub App's id, for App mode. Default none.</summary>
    public string? AppId { get; set; }

    /// <summary>Path to the App's private key (PEM). Default none.</summary>
    public string? AppPrivateKeyPath { get; set; }

    /// <summary>The installation to act as when a webhook does not name one. Default none.</summary>
    public long? InstallationId { get; set; }

    /// <summary>Where pushes go: the git host's base URL. Default <c>https://github.com/</c>.</summary>
    public Uri GitBaseAddress { get; set; } = new("https://github.com/");

    /// <summary>
    /// How long a user's write permission on a repository, once GitHub confirmed it, is taken as given without
    /// asking again (every issue, comment and review of that user needs it). Zero asks every time. Default one
    /// minute: a revoked collaborator may still trigger work that long. A "no" is never kept, so a user given write
    /// access is heard at once.
    /// </summary>
    public TimeSpan PermissionCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    public bool UsesApp => !string.IsNullOrWhiteSpace(AppId);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (UsesApp && !string.IsNullOrWhiteSpace(Token))
        {
            problems.Add($"{SectionName}:Token and {SectionName}:AppId are both set; use one way to authenticate.");
        }
        if (UsesApp && string.IsNullOrWhiteSpace(AppPrivateKeyPath))
        {
            problems.Add($"{SectionName}:AppPrivateKeyPath is required when {SectionName}:AppId is set.");
        }
        if (UsesApp && !string.IsNullOrWhiteSpace(AppPrivateKeyPath) && !File.Exists(AppPrivateKeyPath))
        {
            problems.Add($"{SectionName}:AppPrivateKeyPath names '{AppPrivateKeyPath}', which does not exist.");
        }
        if (PermissionCacheDuration < TimeSpan.Zero || PermissionCacheDuration > TimeSpan.FromHours(1))
        {
            problems.Add($"{SectionName}:PermissionCacheDuration must be from 00:00:00 to 01:00:00, not {PermissionCacheDuration}.");
        }
        if (!GitBaseAddress.IsAbsoluteUri)
        {
            problems.Add($"{SectionName}:GitBaseAddress must be an absolute URL, not '{GitBaseAddress}'.");
        }
        return problems;
    }
}
