using AgentMesh.GitHub.Rest;
using AgentMesh.Server.Pipeline;

namespace AgentMesh.Server.GitHubAccess;

/// <summary>Asks GitHub for a user's permission on a repository: admin, maintain and write may trigger work.</summary>
public sealed partial class GitHubAuthorPermissions(GitHubClientProvider clients, ILogger<GitHubAuthorPermissions> logger) : IAuthorPermissions
{
    public async Task<bool> CanWriteAsync(string repo, string login, CancellationToken cancellationToken = default)
    {
        var (owner, name) = Split(repo);
        try
        {
            var client = await clients.ForRepositoryAsync(repo, cancellationToken).ConfigureAwait(false);
            var permission = await client.GetRepositoryPermissionAsync(owner, name, login, cancellationToken).ConfigureAwait(false);
            return permission.Permission is "admin" or "write";
        }
        catch (Octokit.ApiException ex)
        {
            // Unknown users and missing access read as "may not": the event is ignored, never acted on.
            LogLookupFailed(logger, ex, login, repo);
            return false;
        }
    }

    private static (string Owner, string Name) Split(string repo)
    {
        var slash = repo.IndexOf('/', StringComparison.Ordinal);
        return (repo[..slash], repo[(slash + 1)..]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up {Login}'s permission on {Repo}; treating it as no write access")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, string login, string repo);
}
