using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentMesh.GitHub.Models;
using AgentMesh.GitHub.Rest.Requests;
using AgentMesh.GitHub.Rest.Responses;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// The typed GitHub REST endpoints AgentMesh uses, as one identity (a token or an installation).
/// Every method throws <see cref="GitHubApiException"/> for an error answer, except where a miss is a
/// normal answer (a missing label, a non-member), which returns false or null.
/// </summary>
public sealed class GitHubClient(GitHubConnection connection, GitHubClientOptions options)
{
    private static GitHubJsonContext Json => GitHubJsonContext.Default;

    /// <summary>The connection, for the rate-limit state and raw calls.</summary>
    public GitHubConnection Connection { get; } = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <summary>The identity's rate-limit state.</summary>
    public IGitHubRateLimitState RateLimit => Connection.RateLimit;

    public Task<GitHubRepository> GetRepositoryAsync(string owner, string repo, CancellationToken cancellationToken = default) =>
        GetAsync($"repos/{E(owner)}/{E(repo)}", Json.GitHubRepository, cancellationToken);

    public Task<GitHubIssue> GetIssueAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAsync($"repos/{E(owner)}/{E(repo)}/issues/{number}", Json.GitHubIssue, cancellationToken);

    /// <summary>All comments of an issue or PR conversation, every page, oldest first.</summary>
    public Task<IReadOnlyList<GitHubComment>> ListIssueCommentsAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync($"repos/{E(owner)}/{E(repo)}/issues/{number}/comments", Json.IReadOnlyListGitHubComment, cancellationToken);

    public Task<GitHubComment> CreateCommentAsync(string owner, string repo, int number, string body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"repos/{E(owner)}/{E(repo)}/issues/{number}/comments", new CommentBody(body), Json.CommentBody, Json.GitHubComment, cancellationToken);

    public Task<GitHubComment> UpdateCommentAsync(string owner, string repo, long commentId, string body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"repos/{E(owner)}/{E(repo)}/issues/comments/{commentId}", new CommentBody(body), Json.CommentBody, Json.GitHubComment, cancellationToken);

    public Task<GitHubIssue> CreateIssueAsync(string owner, string repo, NewIssue issue, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"repos/{E(owner)}/{E(repo)}/issues", issue, Json.NewIssue, Json.GitHubIssue, cancellationToken);

    /// <param name="reason"><c>completed</c> (default) or <c>not_planned</c>.</param>
    public Task<GitHubIssue> CloseIssueAsync(string owner, string repo, int number, string reason = "completed", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"repos/{E(owner)}/{E(repo)}/issues/{number}", new IssueStateChange("closed", reason), Json.IssueStateChange, Json.GitHubIssue, cancellationToken);

    public Task<GitHubIssue> ReopenIssueAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"repos/{E(owner)}/{E(repo)}/issues/{number}", new IssueStateChange("open", "reopened"), Json.IssueStateChange, Json.GitHubIssue, cancellationToken);

    /// <summary>Adds labels (creating unknown ones, as GitHub does) and returns the issue's labels after.</summary>
    public Task<IReadOnlyList<GitHubLabel>> AddLabelsAsync(string owner, string repo, int number, IReadOnlyList<string> labels, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"repos/{E(owner)}/{E(repo)}/issues/{number}/labels", new LabelsBody(labels), Json.LabelsBody, Json.IReadOnlyListGitHubLabel, cancellationToken, safeToRepeat: true);

    /// <summary>Removes a label; false when the issue did not have it (GitHub's 404), so a retry is harmless.</summary>
    public async Task<bool> RemoveLabelAsync(string owner, string repo, int number, string label, CancellationToken cancellationToken = default)
    {
        var path = $"repos/{E(owner)}/{E(repo)}/issues/{number}/labels/{E(label)}";
        var response = await Connection.SendAsync(HttpMethod.Delete, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        response.EnsureSuccess(HttpMethod.Delete, path);
        return true;
    }

    public Task<GitHubPullRequest> CreatePullRequestAsync(string owner, string repo, NewPullRequest pullRequest, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"repos/{E(owner)}/{E(repo)}/pulls", pullRequest, Json.NewPullRequest, Json.GitHubPullRequest, cancellationToken);

    public Task<GitHubPullRequest> GetPullRequestAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAsync($"repos/{E(owner)}/{E(repo)}/pulls/{number}", Json.GitHubPullRequest, cancellationToken);

    /// <summary>The open pull request whose head is <paramref name="headOwner"/>:<paramref name="branch"/>, or null.</summary>
    public async Task<GitHubPullRequest?> FindOpenPullRequestAsync(string owner, string repo, string headOwner, string branch, CancellationToken cancellationToken = default)
    {
        var head = Uri.EscapeDataString(headOwner + ":" + branch);
        var list = await GetAsync($"repos/{E(owner)}/{E(repo)}/pulls?head={head}&state=open&per_page={options.PageSize}", Json.IReadOnlyListGitHubPullRequest, cancellationToken).ConfigureAwait(false);
        return list.FirstOrDefault();
    }

    /// <summary>
    /// Returns the open pull request for the head branch, creating it only if there is none. A create that
    /// loses a race (GitHub's 422 "A pull request already exists") falls back to the lookup.
    /// </summary>
    /// <param name="headOwner">The owner of the head branch's repository (the base owner for same-repo branches).</param>
    public async Task<EnsuredPullRequest> EnsurePullRequestAsync(string owner, string repo, string headOwner, NewPullRequest pullRequest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        if (await FindOpenPullRequestAsync(owner, repo, headOwner, pullRequest.Head, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new EnsuredPullRequest(existing, Created: false);
        }
        try
        {
            return new EnsuredPullRequest(await CreatePullRequestAsync(owner, repo, pullRequest, cancellationToken).ConfigureAwait(false), Created: true);
        }
        catch (GitHubApiException exception) when (exception.StatusCode == HttpStatusCode.UnprocessableEntity
            && exception.Error.Errors.Any(e => e.Message?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true))
        {
            var raced = await FindOpenPullRequestAsync(owner, repo, headOwner, pullRequest.Head, cancellationToken).ConfigureAwait(false);
            if (raced is null)
            {
                throw;
            }
            return new EnsuredPullRequest(raced, Created: false);
        }
    }

    public Task<GitHubReview> CreateReviewAsync(string owner, string repo, int number, NewReview review, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"repos/{E(owner)}/{E(repo)}/pulls/{number}/reviews", review, Json.NewReview, Json.GitHubReview, cancellationToken);

    public Task<IReadOnlyList<GitHubReviewComment>> ListReviewCommentsAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync($"repos/{E(owner)}/{E(repo)}/pulls/{number}/comments", Json.IReadOnlyListGitHubReviewComment, cancellationToken);

    /// <summary>Repositories the token's user can access (<c>GET /user/repos</c>), every page.</summary>
    public Task<IReadOnlyList<GitHubRepository>> ListUserRepositoriesAsync(CancellationToken cancellationToken = default) =>
        GetAllPagesAsync("user/repos", Json.IReadOnlyListGitHubRepository, cancellationToken);

    /// <summary>Repositories an installation can access (<c>GET /installation/repositories</c>), every page.</summary>
    public async Task<IReadOnlyList<GitHubRepository>> ListInstallationRepositoriesAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<GitHubRepository>();
        string? next = $"installation/repositories?per_page={options.PageSize}";
        while (next is not null)
        {
            var response = (await Connection.SendAsync(HttpMethod.Get, next, cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureSuccess(HttpMethod.Get, next);
            all.AddRange(response.Read(Json.InstallationRepositoriesPage).Repositories);
            next = response.NextPage?.AbsoluteUri;
        }
        return all;
    }

    public Task<IReadOnlyList<RepositoryInvitation>> ListRepositoryInvitationsAsync(CancellationToken cancellationToken = default) =>
        GetAllPagesAsync("user/repository_invitations", Json.IReadOnlyListRepositoryInvitation, cancellationToken);

    /// <summary>Accepts an invitation (GitHub answers 204).</summary>
    public async Task AcceptRepositoryInvitationAsync(long invitationId, CancellationToken cancellationToken = default)
    {
        var path = $"user/repository_invitations/{invitationId}";
        (await Connection.SendAsync(HttpMethod.Patch, path, cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureSuccess(HttpMethod.Patch, path);
    }

    /// <summary>Creates a JSON webhook for <paramref name="events"/> posting to <paramref name="url"/>, signed with <paramref name="secret"/>.</summary>
    public Task<GitHubHook> CreateRepositoryWebhookAsync(string owner, string repo, Uri url, string secret, IReadOnlyList<string> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var hook = new NewWebhook("web", Active: true, events, new NewWebhookConfig(url.AbsoluteUri, "json", secret));
        return SendAsync(HttpMethod.Post, $"repos/{E(owner)}/{E(repo)}/hooks", hook, Json.NewWebhook, Json.GitHubHook, cancellationToken);
    }

    /// <summary><c>GET /rate_limit</c> (free: it does not spend the limit).</summary>
    public Task<RateLimitResponse> GetRateLimitAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rate_limit", Json.RateLimitResponse, cancellationToken);

    /// <summary><c>GET /user</c> (works for tokens of a user, not for installation tokens).</summary>
    public Task<GitHubUser> GetAuthenticatedUserAsync(CancellationToken cancellationToken = default) =>
        GetAsync("user", Json.GitHubUser, cancellationToken);

    /// <summary>Whether <paramref name="user"/> is a member of <paramref name="org"/> (204 yes, 404 no).</summary>
    public async Task<bool> IsOrganizationMemberAsync(string org, string user, CancellationToken cancellationToken = default)
    {
        var path = $"orgs/{E(org)}/members/{E(user)}";
        var response = await Connection.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        response.EnsureSuccess(HttpMethod.Get, path);
        return response.StatusCode == HttpStatusCode.NoContent;
    }

    /// <summary><paramref name="user"/>'s permission on the repository (<c>admin</c>, <c>write</c>, <c>read</c>, <c>none</c>).</summary>
    public Task<CollaboratorPermission> GetRepositoryPermissionAsync(string owner, string repo, string user, CancellationToken cancellationToken = default) =>
        GetAsync($"repos/{E(owner)}/{E(repo)}/collaborators/{E(user)}/permission", Json.CollaboratorPermission, cancellationToken);

    /// <summary>
    /// Creates or edits the status comment owned by <paramref name="jobId"/>: the body gets the job's hidden
    /// marker, and if a comment with that marker exists it is edited (or left alone when unchanged).
    /// </summary>
    public async Task<GitHubComment> UpsertStatusCommentAsync(string owner, string repo, int number, string jobId, string body, CancellationToken cancellationToken = default)
    {
        var marker = StatusCommentMarker.For(jobId);
        var markedBody = StatusCommentMarker.Apply(jobId, body);
        var comments = await ListIssueCommentsAsync(owner, repo, number, cancellationToken).ConfigureAwait(false);
        var existing = comments.LastOrDefault(c => c.Body.StartsWith(marker, StringComparison.Ordinal));
        if (existing is null)
        {
            return await CreateCommentAsync(owner, repo, number, markedBody, cancellationToken).ConfigureAwait(false);
        }
        return existing.Body == markedBody
            ? existing
            : await UpdateCommentAsync(owner, repo, existing.Id, markedBody, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await Connection.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess(HttpMethod.Get, path).Read(type);
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken, bool? safeToRepeat = null)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        var response = await Connection.SendAsync(method, path, json, safeToRepeat, cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess(method, path).Read(responseType);
    }

    private async Task<IReadOnlyList<T>> GetAllPagesAsync<T>(string path, JsonTypeInfo<IReadOnlyList<T>> pageType, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        string? next = path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"per_page={options.PageSize}";
        while (next is not null)
        {
            var response = (await Connection.SendAsync(HttpMethod.Get, next, cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureSuccess(HttpMethod.Get, next);
            all.AddRange(response.Read(pageType));
            next = response.NextPage?.AbsoluteUri;
        }
        return all;
    }

    /// <summary>Escapes one path segment (a branch or label may hold characters URLs reserve).</summary>
    private static string E(string segment)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment);
        return Uri.EscapeDataString(segment);
    }
}
