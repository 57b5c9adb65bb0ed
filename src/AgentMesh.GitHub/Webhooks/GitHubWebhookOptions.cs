namespace AgentMesh.GitHub.Webhooks;

/// <summary>Options of the webhook endpoint (section <c>GitHub:Webhooks</c>).</summary>
public sealed class GitHubWebhookOptions
{
    /// <summary>GitHub's own cap on a delivery: 25 MB.</summary>
    public const long GitHubMaxPayloadBytes = 25L * 1024 * 1024;

    /// <summary>Largest body accepted; a larger one is answered 413. Default 25 MB (<see cref="GitHubMaxPayloadBytes"/>).</summary>
    public long MaxBodyBytes { get; set; } = GitHubMaxPayloadBytes;

    /// <summary>The secret for deliveries no repository or installation secret matches. Default none.</summary>
    public string? GlobalSecret { get; set; }

    /// <summary>Per-repository secrets keyed by <c>owner/name</c> (case-insensitive, as GitHub treats names).</summary>
    public Dictionary<string, string> RepositorySecrets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-installation secrets keyed by installation id.</summary>
    public Dictionary<long, string> InstallationSecrets { get; set; } = [];
}
