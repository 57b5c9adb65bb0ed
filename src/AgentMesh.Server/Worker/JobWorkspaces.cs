using AgentMesh.Agents.Workspaces;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.GitHubAccess;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Gets a run its worktree, starting from the repository's default branch as GitHub has it when the run starts.
/// The repository's spare worktree (made ahead, <see cref="WorkspaceManager.PrepareSpareAsync"/>) is adopted when
/// GitHub confirms, while it is being adopted, that the default branch is still at the spare's commit and the job
/// has no branch to continue: that saves the run the fetch and the checkout, about 40 ms of the time from the
/// webhook to the agent. Otherwise the mirror is fetched and a worktree made from it. Once a run's agent has
/// started, the repository's spare is made again for its next run.
/// </summary>
public sealed partial class JobWorkspaces(GitHubClientProvider github, WorkspaceManager workspaces, ILogger<JobWorkspaces> logger)
{
    public async Task<PreparedWorkspace> PrepareAsync(GitHubClient client, string repo, string jobId, int issueNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (owner, name) = JobExecution.RepoParts(repo);
        var remoteUrl = github.CloneUrl(repo).ToString();
        var repository = client.GetRepositoryAsync(owner, name, cancellationToken);
        // The spare needs no token: its adoption starts while the token is fetched.
        var adopting = workspaces.TakeSpare(repo) is { } spare
            ? TryAdoptAsync(client, spare, repository, new WorkspaceRequest(repo, remoteUrl, spare.BaseBranch, issueNumber, jobId), cancellationToken)
            : Task.FromResult<Workspace?>(null);
        string token;
        try
        {
            token = await github.GetGitTokenForRepositoryAsync(repo, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveIfAdoptedAsync(adopting).ConfigureAwait(false);
            throw;
        }
        if (await adopting.ConfigureAwait(false) is { } adopted)
        {
            return new PreparedWorkspace(repository.Result, token, remoteUrl, adopted);
        }
        // The fetch needs no base branch: it runs while GitHub answers which branch that is.
        var fetching = workspaces.FetchAsync(repo, remoteUrl, token, cancellationToken);
        await Task.WhenAll(repository, fetching).ConfigureAwait(false);
        var workspace = await workspaces.AddWorktreeAsync(
            new WorkspaceRequest(repo, remoteUrl, repository.Result.DefaultBranch ?? "main", issueNumber, jobId),
            cancellationToken).ConfigureAwait(false);
        return new PreparedWorkspace(repository.Result, token, remoteUrl, workspace);
    }

    /// <summary>
    /// Makes the repository's spare again for its next run, in the background. Called once the run's agent has
    /// started, so the fetch is off the path of this run; a failure only costs the next run its fetch.
    /// </summary>
    /// <returns>The background work, which never fails; a run does not wait for it.</returns>
    public Task PrepareSpareInBackground(string repo, PreparedWorkspace prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return Task.Run(async () =>
        {
            try
            {
                await workspaces.PrepareSpareAsync(repo, prepared.RemoteUrl, prepared.Repository.DefaultBranch ?? "main", prepared.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The node is stopping; its next life sweeps what this left.
            }
            catch (Exception ex)
            {
                LogSpareFailed(logger, ex, repo);
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// Adopts the spare while GitHub is asked about the default branch and the job's branch (all at once: on a
    /// loopback or a fast link the answers and the two git steps take about as long). The adopted worktree is
    /// removed again if GitHub's answers rule it out; null then, and the caller fetches.
    /// </summary>
    private async Task<Workspace?> TryAdoptAsync(GitHubClient client, SpareWorktree spare, Task<Octokit.Repository> repository, WorkspaceRequest request, CancellationToken cancellationToken)
    {
        var (owner, name) = JobExecution.RepoParts(request.Repository);
        var baseHead = client.GetBranchHeadAsync(owner, name, spare.BaseBranch, cancellationToken);
        var jobBranchHead = client.GetBranchHeadAsync(owner, name, workspaces.BranchFor(request.IssueNumber), cancellationToken);
        var adopting = workspaces.AdoptSpareAsync(spare, request, cancellationToken);
        try
        {
            await Task.WhenAll(repository, baseHead, jobBranchHead, adopting).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Each task is looked at below.
        }
        var stale = WhyNotCurrent(spare, repository, baseHead, jobBranchHead);
        if (adopting.IsCompletedSuccessfully)
        {
            if (stale is null)
            {
                return adopting.Result;
            }
            await workspaces.RemoveAsync(adopting.Result, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            LogAdoptFailed(logger, adopting.Exception?.GetBaseException(), request.Repository);
        }
        if (stale is not null)
        {
            LogSpareNotUsed(logger, request.Repository, spare.Commit, stale);
        }
        // The repository's own answer is needed either way: its failure is the run's, as without a spare.
        await repository.ConfigureAwait(false);
        return null;
    }

    /// <summary>The run fails without a worktree: none may be left behind by an adoption that went on meanwhile.</summary>
    private async Task RemoveIfAdoptedAsync(Task<Workspace?> adopting)
    {
        try
        {
            if (await adopting.ConfigureAwait(false) is { } orphan)
            {
                await workspaces.RemoveAsync(orphan, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            LogAdoptFailed(logger, ex, "(the run's repository)");
        }
    }

    /// <summary>Why the spare cannot start this run, or null when GitHub confirms it can.</summary>
    private static string? WhyNotCurrent(SpareWorktree spare, Task<Octokit.Repository> repository, Task<string?> baseHead, Task<string?> jobBranchHead)
    {
        if (!repository.IsCompletedSuccessfully || !baseHead.IsCompletedSuccessfully || !jobBranchHead.IsCompletedSuccessfully)
        {
            return "GitHub did not answer: " + (repository.Exception ?? baseHead.Exception ?? jobBranchHead.Exception)?.GetBaseException().Message;
        }
        if (repository.Result.DefaultBranch is { } defaultBranch && defaultBranch != spare.BaseBranch)
        {
            return $"the default branch is now {defaultBranch}, not {spare.BaseBranch}";
        }
        if (baseHead.Result != spare.Commit)
        {
            return $"{spare.BaseBranch} has moved to {baseHead.Result ?? "nothing"}";
        }
        return jobBranchHead.Result is { } pushed ? $"the job's branch exists at {pushed} and is continued" : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The spare worktree of {Repository} at {Commit} is not used ({Reason}): fetching")]
    private static partial void LogSpareNotUsed(ILogger logger, string repository, string commit, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The spare worktree of {Repository} could not be adopted: fetching")]
    private static partial void LogAdoptFailed(ILogger logger, Exception? exception, string repository);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The spare worktree of {Repository} could not be made; its next run fetches")]
    private static partial void LogSpareFailed(ILogger logger, Exception exception, string repository);
}

/// <summary>A run's worktree with what it was made from: the repository as GitHub answered, the git token, the clone URL.</summary>
public sealed record PreparedWorkspace(Octokit.Repository Repository, string Token, string RemoteUrl, Workspace Workspace);
