using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Repos;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Server.Actors;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Storage.Abstractions;
using Octokit;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>
/// A job started from the dashboard, made the way the webhook path makes one (<c>WorkIntentHandler</c>): the
/// natural key finds an existing job, a finished one is re-run, and the issues.opened webhook that follows a new
/// issue finds this job instead of making a second. A person asking is the trigger, so the repo's trigger
/// settings (auto-solve, label, mention) do not apply; the repo must be configured and enabled.
/// </summary>
public sealed partial class DashboardJobCreation(
    IAgentMeshStore store,
    RepoActor repos,
    JobActor jobs,
    GitHubClientProvider github,
    ILogger<DashboardJobCreation> logger) : IJobCreation
{
    public async Task<JobCreationResult> FromIssueAsync(string repo, int number, string actor, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(repo, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return JobCreationResult.Refused(refusal);
        }
        var (owner, name) = DashboardJobActions.Split(repo);
        try
        {
            var client = await github.ForRepositoryAsync(repo, cancellationToken).ConfigureAwait(false);
            var issue = await client.GetIssueAsync(owner, name, number, cancellationToken).ConfigureAwait(false);
            if (issue.PullRequest is not null)
            {
                return JobCreationResult.Refused($"{repo}#{number} is a pull request, not an issue.");
            }
            if (issue.State.Value == ItemState.Closed)
            {
                return JobCreationResult.Refused($"{repo}#{number} is closed: reopen it first.");
            }
        }
        catch (NotFoundException)
        {
            return JobCreationResult.Refused($"{repo}#{number} does not exist on GitHub.");
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or InvalidOperationException)
        {
            return JobCreationResult.Refused($"GitHub did not answer for {repo}#{number} ({ex.Message}).");
        }
        return await CreateAsync(repo, number, actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobCreationResult> WithNewIssueAsync(string repo, string title, string? body, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return JobCreationResult.Refused("A new issue needs a title.");
        }
        // Checked before the issue is opened: an issue AgentMesh will not work on should not be left behind.
        if (await RefusalAsync(repo, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return JobCreationResult.Refused(refusal);
        }
        var (owner, name) = DashboardJobActions.Split(repo);
        Issue issue;
        try
        {
            var client = await github.ForRepositoryAsync(repo, cancellationToken).ConfigureAwait(false);
            issue = await client.CreateIssueAsync(owner, name, new NewIssue(title.Trim()) { Body = BodyOf(body, actor) }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or InvalidOperationException)
        {
            return JobCreationResult.Refused($"GitHub did not open the issue in {repo} ({ex.Message}).");
        }
        LogIssueOpened(logger, repo, issue.Number, actor);
        return await CreateAsync(repo, issue.Number, actor, cancellationToken).ConfigureAwait(false);
    }

    internal static string BodyOf(string? body, string actor) =>
        $"{body?.Trim()}\n\n_Opened from the AgentMesh dashboard by {actor}._".TrimStart();

    private async Task<string?> RefusalAsync(string repo, CancellationToken cancellationToken)
    {
        if (!RepoName.IsValid(repo))
        {
            return $"Repo must be \"owner/name\" (was \"{repo}\").";
        }
        var state = await repos.GetAsync(repo, cancellationToken).ConfigureAwait(false);
        return state is null ? $"{repo} is not configured in AgentMesh."
            : !state.Config.Enabled ? $"AgentMesh is disabled for {repo}."
            : null;
    }

    private async Task<JobCreationResult> CreateAsync(string repo, int number, string actor, CancellationToken cancellationToken)
    {
        var config = (await repos.GetAsync(repo, cancellationToken).ConfigureAwait(false))?.Config ?? new RepoConfig();
        var existing = await store.Jobs.FindByNaturalKeyAsync(JobActor.NaturalKey(repo, number, JobKind.SolveIssue), cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var (record, _) = await jobs.CreateAsync(repo, number, JobKind.SolveIssue, config.MaxFixRounds, cancellationToken: cancellationToken, triggeredBy: actor).ConfigureAwait(false);
            LogCreated(logger, record.Id, repo, number, actor);
            return new JobCreationResult(record.Id, number, null);
        }
        if (existing.State.IsTerminal())
        {
            try
            {
                await jobs.SendAsync(existing.Id, new Rerun(actor), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JobDomainException ex)
            {
                return JobCreationResult.Refused(ex.Message);
            }
        }
        return new JobCreationResult(existing.Id, number, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: {Actor} opened {Repo}#{Number}")]
    private static partial void LogIssueOpened(ILogger logger, string repo, int number, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: job {JobId} for {Repo}#{Number} created by {Actor}")]
    private static partial void LogCreated(ILogger logger, string jobId, string repo, int number, string actor);
}
