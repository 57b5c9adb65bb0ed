using Octokit;
using Octokit.Internal;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// One identity's view of GitHub: Octokit's client (<see cref="Octokit"/>) for any endpoint, plus what
/// AgentMesh adds on top — effects a retried job may repeat without duplicating them
/// (<see cref="EnsurePullRequestAsync"/>, <see cref="UpsertStatusCommentAsync"/>), inline review comments
/// by line and side (<see cref="CreateReviewAsync"/>), and a <see cref="CancellationToken"/> on the calls
/// the node makes (Octokit's clients take none; see <see cref="AmbientCancellation"/>). Errors are
/// Octokit's: <see cref="ApiException"/> and its subclasses (<see cref="NotFoundException"/>, ...).
/// </summary>
public sealed class GitHubClient : IDisposable
{
    private readonly IHttpClient _http;
    private readonly GitHubClientOptions _options;

    internal GitHubClient(IGitHubClient octokit, string fingerprint, IGitHubRateLimitState rateLimit, IHttpClient http, GitHubClientOptions options)
    {
        Octokit = octokit;
        Fingerprint = fingerprint;
        RateLimit = rateLimit;
        _http = http;
        _options = options;
    }

    /// <summary>Octokit's client for this identity, behind AgentMesh's handler pipeline.</summary>
    public IGitHubClient Octokit { get; }

    /// <summary>The identity requests are made as (never a secret).</summary>
    public string Fingerprint { get; }

    /// <summary>The identity's primary rate-limit state, updated from every answer.</summary>
    public IGitHubRateLimitState RateLimit { get; }

    public Task<Repository> GetRepositoryAsync(string owner, string repo, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Repository.Get(owner, repo), cancellationToken);

    public Task<Issue> GetIssueAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Issue.Get(owner, repo, number), cancellationToken);

    public Task<Issue> CreateIssueAsync(string owner, string repo, NewIssue issue, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Issue.Create(owner, repo, issue), cancellationToken);

    /// <summary>Closes an issue; closing a closed one changes nothing, so a retry is safe.</summary>
    public Task<Issue> CloseIssueAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Issue.Update(owner, repo, number, new IssueUpdate { State = ItemState.Closed }), cancellationToken);

    /// <summary>All comments of an issue or PR conversation, every page, oldest first.</summary>
    public Task<IReadOnlyList<IssueComment>> ListIssueCommentsAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Issue.Comment.GetAllForIssue(owner, repo, number, Pages), cancellationToken);

    public Task<IssueComment> CreateCommentAsync(string owner, string repo, int number, string body, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Issue.Comment.Create(owner, repo, number, body), cancellationToken);

    public Task<IssueComment> UpdateCommentAsync(string owner, string repo, long commentId, string body, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Issue.Comment.Update(owner, repo, commentId, body), cancellationToken);

    public Task<PullRequest> GetPullRequestAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.PullRequest.Get(owner, repo, number), cancellationToken);

    /// <summary>
    /// The commit <paramref name="branch"/> points at, or null when the repository has no such branch. Asks
    /// GitHub's exact <c>GET /repos/{owner}/{repo}/git/ref/heads/{branch}</c>: Octokit's <c>Git.Reference.Get</c>
    /// asks the older <c>git/refs/</c> path, which answers a list of prefix matches (issue-1 finds issue-10) when no
    /// branch has exactly that name.
    /// </summary>
    public async Task<string?> GetBranchHeadAsync(string owner, string repo, string branch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        var path = string.Join('/', branch.Split('/').Select(Uri.EscapeDataString));
        var uri = new Uri($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repo)}/git/ref/heads/{path}", UriKind.Relative);
        try
        {
            var response = await Run(() => Octokit.Connection.Get<Reference>(uri, null, AcceptHeaders.StableVersionJson, cancellationToken), cancellationToken).ConfigureAwait(false);
            return response.Body.Object.Sha;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>The open pull request whose head is <paramref name="headOwner"/>:<paramref name="branch"/>, or null.</summary>
    public async Task<PullRequest?> FindOpenPullRequestAsync(string owner, string repo, string headOwner, string branch, CancellationToken cancellationToken = default)
    {
        var request = new PullRequestRequest { Head = headOwner + ":" + branch, State = ItemStateFilter.Open };
        var list = await Run(() => Octokit.PullRequest.GetAllForRepository(owner, repo, request, new ApiOptions { PageSize = 1, PageCount = 1 }), cancellationToken).ConfigureAwait(false);
        return list.Count > 0 ? list[0] : null;
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
            return new EnsuredPullRequest(await Run(() => Octokit.PullRequest.Create(owner, repo, pullRequest), cancellationToken).ConfigureAwait(false), Created: true);
        }
        catch (ApiValidationException exception) when (AlreadyExists(exception))
        {
            var raced = await FindOpenPullRequestAsync(owner, repo, headOwner, pullRequest.Head, cancellationToken).ConfigureAwait(false);
            if (raced is null)
            {
                throw;
            }
            return new EnsuredPullRequest(raced, Created: false);
        }
    }

    /// <summary>
    /// Creates a review whose inline comments are placed by <c>line</c> and <c>side</c> — Octokit's
    /// <see cref="PullRequestReviewCreate"/> only has the retired diff <c>position</c> — sent through
    /// Octokit's connection, so it gets the same authentication, retries and errors as every other call.
    /// </summary>
    public Task<PullRequestReview> CreateReviewAsync(string owner, string repo, int number, NewLineReview review, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        var uri = ApiUrls.PullRequestReviews(owner, repo, number);
        return Run(async () => (await Octokit.Connection.Post<PullRequestReview>(uri, review, AcceptHeaders.StableVersionJson, "application/json", parameters: null, cancellationToken).ConfigureAwait(false)).Body, cancellationToken);
    }

    /// <summary><c>GET /user/repos</c>: the repositories a token's user can see (owner, collaborator or member).</summary>
    public Task<IReadOnlyList<Repository>> ListRepositoriesForCurrentUserAsync(CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Repository.GetAllForCurrent(Pages), cancellationToken);

    /// <summary><c>GET /installation/repositories</c>: the repositories an App installation serves.</summary>
    public async Task<IReadOnlyList<Repository>> ListInstallationRepositoriesAsync(CancellationToken cancellationToken = default) =>
        (await Run(() => Octokit.GitHubApps.Installation.GetAllRepositoriesForCurrent(Pages), cancellationToken).ConfigureAwait(false)).Repositories;

    /// <summary>
    /// <c>POST /repos/{owner}/{repo}/hooks</c>: a JSON webhook to <paramref name="url"/> for <paramref name="events"/>,
    /// signed with <paramref name="secret"/> (GitHub never shows it again, and neither does this client).
    /// </summary>
    public Task<RepositoryHook> CreateRepositoryWebhookAsync(string owner, string repo, Uri url, string secret, IReadOnlyList<string> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var hook = new NewRepositoryWebHook("web", new Dictionary<string, string>(), url.AbsoluteUri)
        {
            ContentType = WebHookContentType.Json,
            Secret = secret,
            Events = [.. events],
            Active = true,
        };
        return Run(() => Octokit.Repository.Hooks.Create(owner, repo, hook.ToRequest()), cancellationToken);
    }

    public Task<IReadOnlyList<RepositoryInvitation>> ListRepositoryInvitationsAsync(CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Repository.Invitation.GetAllForCurrent(Pages), cancellationToken);

    public Task AcceptRepositoryInvitationAsync(long invitationId, CancellationToken cancellationToken = default) =>
        AmbientCancellation.RunAsync(() => Octokit.Repository.Invitation.Accept(invitationId), cancellationToken);

    /// <summary><paramref name="user"/>'s permission on the repository (<c>admin</c>, <c>write</c>, <c>read</c>, <c>none</c>).</summary>
    public Task<CollaboratorPermissionResponse> GetRepositoryPermissionAsync(string owner, string repo, string user, CancellationToken cancellationToken = default) =>
        Run(() => Octokit.Repository.Collaborator.ReviewPermission(owner, repo, user), cancellationToken);

    /// <summary>
    /// Creates or edits the status comment owned by <paramref name="jobId"/>: the body gets the job's hidden
    /// marker, and if a comment with that marker exists it is edited (or left alone when unchanged).
    /// </summary>
    public async Task<IssueComment> UpsertStatusCommentAsync(string owner, string repo, int number, string jobId, string body, CancellationToken cancellationToken = default)
    {
        var marker = StatusCommentMarker.For(jobId);
        var markedBody = StatusCommentMarker.Apply(jobId, body);
        var comments = await ListIssueCommentsAsync(owner, repo, number, cancellationToken).ConfigureAwait(false);
        var existing = comments.LastOrDefault(c => c.Body?.StartsWith(marker, StringComparison.Ordinal) == true);
        if (existing is null)
        {
            return await CreateCommentAsync(owner, repo, number, markedBody, cancellationToken).ConfigureAwait(false);
        }
        return existing.Body == markedBody
            ? existing
            : await UpdateCommentAsync(owner, repo, existing.Id, markedBody, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private ApiOptions Pages => new() { PageSize = _options.PageSize };

    private static Task<T> Run<T>(Func<Task<T>> call, CancellationToken cancellationToken) => AmbientCancellation.RunAsync(call, cancellationToken);

    private static bool AlreadyExists(ApiValidationException exception) =>
        exception.ApiError?.Errors?.Any(e => e.Message?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true) == true
        || exception.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase);
}
