using System.Net;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.GitHubAccess;

namespace AgentMesh.Server.Reconciliation;

/// <summary>
/// In token mode the bot is a user account: people give it a repository by inviting it as a
/// collaborator, and somebody has to accept. This accepts every pending invitation. Accepting only
/// gives access; the node works on a repository once it has a configuration, so an invitation
/// alone never starts work.
/// </summary>
public sealed partial class InvitationAcceptor(GitHubClientProvider github, GitHubAccessOptions access, ILogger<InvitationAcceptor> logger)
{
    /// <summary>True in token mode. A GitHub App gets its repositories from installations, never invitations.</summary>
    public bool Applies => !access.UsesApp && !string.IsNullOrWhiteSpace(access.Token);

    /// <summary>Accepts the authenticated user's pending invitations; returns the repositories accepted.</summary>
    public async Task<IReadOnlyList<string>> AcceptPendingAsync(CancellationToken cancellationToken = default)
    {
        if (!Applies)
        {
            return [];
        }
        var client = github.For();
        var pending = await client.ListRepositoryInvitationsAsync(cancellationToken).ConfigureAwait(false);
        var accepted = new List<string>();
        foreach (var invitation in pending)
        {
            if (await AcceptAsync(client, invitation, cancellationToken).ConfigureAwait(false))
            {
                accepted.Add(invitation.Repository.FullName);
            }
        }
        return accepted;
    }

    /// <summary>
    /// Accepts the pending invitation to <paramref name="repo"/> (<c>owner/name</c>), if there is one: the
    /// dashboard's "connect" does it at once rather than waiting for the next check. True when one was accepted.
    /// </summary>
    public async Task<bool> AcceptForAsync(string repo, CancellationToken cancellationToken = default)
    {
        if (!Applies)
        {
            return false;
        }
        var client = github.For();
        var pending = await client.ListRepositoryInvitationsAsync(cancellationToken).ConfigureAwait(false);
        var invitation = pending.FirstOrDefault(i => string.Equals(i.Repository.FullName, repo, StringComparison.OrdinalIgnoreCase));
        return invitation is not null && await AcceptAsync(client, invitation, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> AcceptAsync(GitHubClient client, Octokit.RepositoryInvitation invitation, CancellationToken cancellationToken)
    {
        var repo = invitation.Repository.FullName;
        try
        {
            await client.AcceptRepositoryInvitationAsync(invitation.Id, cancellationToken).ConfigureAwait(false);
            LogAccepted(logger, repo, invitation.Permissions.StringValue ?? "unknown", invitation.Inviter?.Login ?? "unknown");
            return true;
        }
        catch (Octokit.ApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Another node with the same token accepted it first, or the inviter withdrew it.
            LogGone(logger, invitation.Id, repo);
        }
        catch (Octokit.ApiException ex)
        {
            LogAcceptFailed(logger, invitation.Id, repo, ex);
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted the invitation to {Repo} ({Permission}, from {Inviter}). AgentMesh works on it only once it has a configuration: `agentmesh repos set {Repo} --enabled true` or PUT /api/repos/{Repo}")]
    private static partial void LogAccepted(ILogger logger, string repo, string permission, string inviter);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Invitation {InvitationId} to {Repo} is gone (accepted by another node or withdrawn)")]
    private static partial void LogGone(ILogger logger, long invitationId, string repo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not accept invitation {InvitationId} to {Repo}; the next check tries again")]
    private static partial void LogAcceptFailed(ILogger logger, long invitationId, string repo, Exception exception);
}
