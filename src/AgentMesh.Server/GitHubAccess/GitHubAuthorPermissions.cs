using System.Collections.Concurrent;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.Pipeline;

namespace AgentMesh.Server.GitHubAccess;

/// <summary>
/// Asks GitHub for a user's permission on a repository: admin, maintain and write may trigger work. A "yes" is
/// kept for <see cref="GitHubAccessOptions.PermissionCacheDuration"/>, so the same maintainers' issues, comments and
/// reviews do not each wait for a GitHub round trip before their job is created; a "no" is asked again every time.
/// </summary>
public sealed partial class GitHubAuthorPermissions(
    GitHubClientProvider clients,
    GitHubAccessOptions options,
    TimeProvider timeProvider,
    ILogger<GitHubAuthorPermissions> logger) : IAuthorPermissions
{
    /// <summary>More users than one node meets between two expiries; past it the kept answers are dropped at once.</summary>
    private const int MaxKeptAnswers = 10_000;

    // GitHub's logins and repository names ignore case; the key is lower-cased.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _writersUntil = new(StringComparer.Ordinal);

    public async Task<bool> CanWriteAsync(string repo, string login, CancellationToken cancellationToken = default)
    {
        var key = $"{repo}\n{login}".ToLowerInvariant();
        var now = timeProvider.GetUtcNow();
        if (_writersUntil.TryGetValue(key, out var until) && now < until)
        {
            return true;
        }
        var canWrite = await AskGitHubAsync(repo, login, cancellationToken).ConfigureAwait(false);
        if (!canWrite)
        {
            _writersUntil.TryRemove(key, out _);
        }
        else if (options.PermissionCacheDuration > TimeSpan.Zero)
        {
            if (_writersUntil.Count >= MaxKeptAnswers)
            {
                _writersUntil.Clear();
            }
            _writersUntil[key] = now + options.PermissionCacheDuration;
        }
        return canWrite;
    }

    private async Task<bool> AskGitHubAsync(string repo, string login, CancellationToken cancellationToken)
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
