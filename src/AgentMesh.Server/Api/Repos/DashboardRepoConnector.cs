using System.Net;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Repos;
using AgentMesh.Dashboard.Repos;
using AgentMesh.GitHub.Events;
using AgentMesh.Server.Actors;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Reconciliation;

namespace AgentMesh.Server.Api.Repos;

/// <summary>
/// Connects a repository from the dashboard: accepts a pending invitation to it (token mode), creates
/// its webhook with a new random secret kept in <see cref="RepoWebhookSecrets"/>, and enables it
/// with the default settings when it has no configuration yet.
/// </summary>
public sealed partial class DashboardRepoConnector(
    GitHubClientProvider github,
    GitHubAccessOptions access,
    InvitationAcceptor invitations,
    RepoWebhookSecrets secrets,
    RepoActor repos,
    ILogger<DashboardRepoConnector> logger) : IRepoConnector
{
    /// <summary>The events AgentMesh acts on.</summary>
    public static IReadOnlyList<string> Events { get; } =
    [
        WebhookEventNames.Issues,
        WebhookEventNames.IssueComment,
        WebhookEventNames.PullRequest,
        WebhookEventNames.PullRequestReview,
        WebhookEventNames.PullRequestReviewComment,
    ];

    public async Task<ConnectableRepos> ListAsync(CancellationToken cancellationToken)
    {
        if (!github.IsConfigured)
        {
            return new ConnectableRepos([], "GitHub access is not configured: set GitHub:Token or GitHub:AppId and GitHub:AppPrivateKeyPath.");
        }
        try
        {
            var client = github.For();
            var configured = (await repos.ListAsync(cancellationToken).ConfigureAwait(false)).Select(r => r.Repo).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var found = new Dictionary<string, ConnectableRepo>(StringComparer.OrdinalIgnoreCase);
            // A token sees its user's repositories; an App installation sees those it was given.
            var visible = access.UsesApp
                ? await client.ListInstallationRepositoriesAsync(cancellationToken).ConfigureAwait(false)
                : await client.ListRepositoriesForCurrentUserAsync(cancellationToken).ConfigureAwait(false);
            foreach (var repo in visible)
            {
                found[repo.FullName] = new ConnectableRepo(repo.FullName, repo.Private, InvitationPending: false, configured.Contains(repo.FullName));
            }
            if (invitations.Applies)
            {
                // Invited but not accepted yet: not among the user's repositories until connecting accepts it.
                foreach (var invitation in await client.ListRepositoryInvitationsAsync(cancellationToken).ConfigureAwait(false))
                {
                    var name = invitation.Repository.FullName;
                    found.TryAdd(name, new ConnectableRepo(name, invitation.Repository.Private, InvitationPending: true, configured.Contains(name)));
                }
            }
            return new ConnectableRepos([.. found.Values.OrderBy(r => r.Repo, StringComparer.OrdinalIgnoreCase)], null);
        }
        catch (Octokit.ApiException ex)
        {
            return new ConnectableRepos([], $"GitHub refused to list repositories ({(int)ex.StatusCode}): {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // App mode with no installation to act as (GitHub:InstallationId unset).
            return new ConnectableRepos([], ex.Message);
        }
    }

    public async Task<RepoConnectResult> ConnectAsync(string repo, Uri webhookUrl, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookUrl);
        if (!RepoName.IsValid(repo))
        {
            return RepoConnectResult.Refused($"owner and repo must be a GitHub 'owner/name' without whitespace (was '{repo}').");
        }
        if (!webhookUrl.IsAbsoluteUri || webhookUrl.Scheme is not ("http" or "https"))
        {
            return RepoConnectResult.Refused($"The webhook address must be an absolute http or https URL (was '{webhookUrl}').");
        }
        var accepted = await invitations.AcceptForAsync(repo, cancellationToken).ConfigureAwait(false);
        var (owner, name) = Split(repo);
        var secret = RepoWebhookSecrets.NewSecret();
        long hookId;
        try
        {
            var client = await github.ForRepositoryAsync(repo, cancellationToken).ConfigureAwait(false);
            hookId = (await client.CreateRepositoryWebhookAsync(owner, name, webhookUrl, secret, Events, cancellationToken).ConfigureAwait(false)).Id;
        }
        catch (Octokit.ApiException ex)
        {
            var reason = ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden
                ? $"GitHub refused to create the webhook on {repo} ({(int)ex.StatusCode}): the bot needs admin rights on the repository (or the App the webhooks permission). {ex.Message}"
                : $"GitHub could not create the webhook on {repo} ({(int)ex.StatusCode}): {ex.Message}";
            return new RepoConnectResult(false, reason, null, accepted);
        }
        // Kept once GitHub has made the hook, whose id names the secret. Should this write fail, the hook's
        // deliveries are refused (401, visible in GitHub's delivery log) until the repository is connected again.
        await secrets.AddAsync(repo, hookId, secret, cancellationToken).ConfigureAwait(false);
        // A repo already configured under another letter case keeps its configuration.
        var configured = await repos.ConfiguredNameAsync(repo, cancellationToken).ConfigureAwait(false);
        if (await repos.GetAsync(configured, cancellationToken).ConfigureAwait(false) is null)
        {
            await repos.SetConfigAsync(configured, new RepoConfig { Enabled = true }, cancellationToken).ConfigureAwait(false);
        }
        LogConnected(logger, repo, actor, hookId, webhookUrl, accepted);
        return new RepoConnectResult(true, null, hookId, accepted);
    }

    private static (string Owner, string Name) Split(string repo)
    {
        var slash = repo.IndexOf('/', StringComparison.Ordinal);
        return (repo[..slash], repo[(slash + 1)..]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} connected {Repo} from the dashboard: webhook {HookId} to {WebhookUrl} (invitation accepted: {InvitationAccepted})")]
    private static partial void LogConnected(ILogger logger, string repo, string actor, long hookId, Uri webhookUrl, bool invitationAccepted);
}
