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
        if (!GitBaseAddress.IsAbsoluteUri)
        {
            problems.Add($"{SectionName}:GitBaseAddress must be an absolute URL, not '{GitBaseAddress}'.");
        }
        return problems;
    }
}
