namespace AgentMesh.Dashboard.Repos;

/// <summary>
/// Connects a repository the node's GitHub identity can see: accepts a pending invitation to it,
/// creates its webhook with a secret of its own, and configures it. Implemented by the node.
/// </summary>
public interface IRepoConnector
{
    /// <summary>The repositories the bot token or the App installation can see, and those it is invited to.</summary>
    Task<ConnectableRepos> ListAsync(CancellationToken cancellationToken);

    /// <summary>Connects <paramref name="repo"/>, its webhook delivering to <paramref name="webhookUrl"/>.</summary>
    Task<RepoConnectResult> ConnectAsync(string repo, Uri webhookUrl, string actor, CancellationToken cancellationToken);
}

/// <param name="Error">Why GitHub could not be asked (no credentials, refused); null when listed.</param>
public sealed record ConnectableRepos(IReadOnlyList<ConnectableRepo> Repos, string? Error);

/// <param name="InvitationPending">The bot is invited and has not accepted yet; connecting accepts it.</param>
/// <param name="Configured">AgentMesh already has a configuration for it.</param>
public sealed record ConnectableRepo(string Repo, bool Private, bool InvitationPending, bool Configured);

/// <param name="HookId">The webhook GitHub created; its secret is never shown.</param>
/// <param name="InvitationAccepted">A pending invitation to the repository was accepted on the way.</param>
public sealed record RepoConnectResult(bool Done, string? Error, long? HookId, bool InvitationAccepted)
{
    public static RepoConnectResult Refused(string reason) => new(false, reason, null, false);
}
