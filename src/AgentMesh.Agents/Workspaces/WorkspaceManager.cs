using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentMesh.Agents.Workspaces;

/// <summary>
/// One bare repository per repo on the node (made once, fetched per job) and one git worktree per job on
/// its branch. The bare repository fetches the remote's branches into <c>refs/remotes/origin/*</c> rather
/// than mirroring them over its local branches: a mirror-style fetch would move or prune the branches that
/// running jobs' worktrees have checked out.
/// </summary>
public sealed partial class WorkspaceManager
{
    private readonly WorkspaceOptions _options;
    private readonly Git _git;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _mirrorLocks = new(StringComparer.Ordinal);

    public WorkspaceManager(IOptions<WorkspaceOptions> options, ILogger<WorkspaceManager>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _git = new Git(_options.GitPath);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Fails when the workspace disk has less free space than <see cref="WorkspaceOptions.MinimumFreeDiskBytes"/>.</summary>
    public void EnsureFreeDiskSpace()
    {
        Directory.CreateDirectory(_options.Root);
        var free = new DriveInfo(Path.GetFullPath(_options.Root)).AvailableFreeSpace;
        if (free < _options.MinimumFreeDiskBytes)
        {
            throw new InsufficientDiskSpaceException(string.Create(CultureInfo.InvariantCulture,
                $"Only {free / (1024 * 1024)} MiB free under {_options.Root}; a job needs at least {_options.MinimumFreeDiskBytes / (1024 * 1024)} MiB (Workspaces:MinimumFreeDiskBytes)."));
        }
    }

    /// <summary>
    /// Fetches the repo into its bare repository (creating it the first time) and adds a worktree for the
    /// job on its branch: continuing the remote branch when one exists (a re-run), otherwise starting from
    /// the base branch.
    /// </summary>
    public async Task<Workspace> PrepareAsync(WorkspaceRequest request, string? token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await FetchAsync(request.Repository, request.RemoteUrl, token, cancellationToken).ConfigureAwait(false);
        return await AddWorktreeAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches the repo into its bare repository, creating it the first time. The first half of
    /// <see cref="PrepareAsync"/>: it needs no base branch, so a worker can start it before it has asked GitHub
    /// for the repository's default branch.
    /// </summary>
    public async Task FetchAsync(string repository, string remoteUrl, string? token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        EnsureFreeDiskSpace();
        var mirror = MirrorPath(repository);
        var auth = token is null ? null : GitCredentials.Environment(token);
        using (await LockMirrorAsync(mirror, cancellationToken).ConfigureAwait(false))
        {
            if (!Directory.Exists(mirror))
            {
                Directory.CreateDirectory(mirror);
                await _git.RunAsync(mirror, ["init", "--bare", "--quiet"], null, cancellationToken).ConfigureAwait(false);
                await _git.RunAsync(mirror, ["remote", "add", "origin", remoteUrl], null, cancellationToken).ConfigureAwait(false);
                await _git.RunAsync(mirror, ["config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"], null, cancellationToken).ConfigureAwait(false);
                LogMirrorCreated(_logger, repository, mirror);
            }
            // Before the first fetch: a worktree an earlier life was killed while making has a HEAD that names no
            // commit yet, and git's fetch refuses the whole mirror for it ("bad object worktrees/…/HEAD").
            await SweepLeftoversAsync(repository, mirror, cancellationToken).ConfigureAwait(false);
            await _git.RunAsync(mirror, ["fetch", "--prune", "--quiet", "origin"], auth, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Adds the job's worktree from the bare repository as last fetched (<see cref="FetchAsync"/>): on the job's
    /// branch continuing the remote branch when one exists (a re-run), otherwise starting from the base branch.
    /// </summary>
    public async Task<Workspace> AddWorktreeAsync(WorkspaceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mirror = MirrorPath(request.Repository);
        var branch = BranchFor(request.IssueNumber);
        var worktree = WorktreePath(request);

        using (await LockMirrorAsync(mirror, cancellationToken).ConfigureAwait(false))
        {
            await RemoveLeftoverWorktreeAsync(mirror, worktree, cancellationToken).ConfigureAwait(false);

            // One git process answers both questions: does the job's branch exist on the remote (a re-run
            // continues it), and at which commit does the work start. Each git process is a few milliseconds
            // of the time between the webhook and the agent starting.
            var remoteBranch = $"refs/remotes/origin/{branch}";
            var baseRef = $"refs/remotes/origin/{request.BaseBranch}";
            var commits = await RemoteCommitsAsync(mirror, [remoteBranch, baseRef], cancellationToken).ConfigureAwait(false);
            var reuse = commits.ContainsKey(remoteBranch);
            var start = reuse ? remoteBranch : baseRef;
            Directory.CreateDirectory(Path.GetDirectoryName(worktree)!);
            // -B: a branch left behind by an earlier attempt on this node is reset to the start point.
            string[] add = ["worktree", "add", "--quiet", "-B", branch, worktree, commits.GetValueOrDefault(start, start)];
            try
            {
                await _git.RunAsync(mirror, add, null, cancellationToken).ConfigureAwait(false);
            }
            catch (GitCommandException)
            {
                // A worktree of an earlier run whose directory vanished (a crash, a cleaned disk) still holds the
                // branch in git's records: forget such worktrees, then try once more.
                await _git.RunAsync(mirror, ["worktree", "prune"], null, cancellationToken).ConfigureAwait(false);
                await _git.RunAsync(mirror, add, null, cancellationToken).ConfigureAwait(false);
            }
            var baseCommit = commits.TryGetValue(start, out var startCommit)
                ? startCommit
                : (await _git.RunAsync(worktree, ["rev-parse", "HEAD"], null, cancellationToken).ConfigureAwait(false)).Trim();
            LogWorktreeAdded(_logger, request.Repository, branch, reuse, worktree);
            return new Workspace(worktree, branch, baseCommit, mirror, reuse);
        }
    }

    /// <summary>Commits whatever the agent left uncommitted, as the configured author.</summary>
    /// <returns>True when there was something to commit.</returns>
    public async Task<bool> CommitLeftoversAsync(Workspace workspace, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var status = await _git.RunAsync(workspace.Path, ["status", "--porcelain"], null, cancellationToken).ConfigureAwait(false);
        if (status.Trim().Length == 0)
        {
            return false;
        }
        await _git.RunAsync(workspace.Path, ["add", "--all"], null, cancellationToken).ConfigureAwait(false);
        var author = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = _options.CommitAuthorName,
            ["GIT_AUTHOR_EMAIL"] = _options.CommitAuthorEmail,
            ["GIT_COMMITTER_NAME"] = _options.CommitAuthorName,
            ["GIT_COMMITTER_EMAIL"] = _options.CommitAuthorEmail,
        };
        await _git.RunAsync(workspace.Path, ["commit", "--quiet", "--no-verify", "-m", message], author, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The commits made since the base commit and the files still uncommitted.</summary>
    public async Task<WorkspaceChanges> InspectAsync(Workspace workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var log = await _git.RunAsync(workspace.Path, ["log", "--reverse", "--format=%s", $"{workspace.BaseCommit}..HEAD"], null, cancellationToken).ConfigureAwait(false);
        var status = await _git.RunAsync(workspace.Path, ["status", "--porcelain", "--untracked-files=all"], null, cancellationToken).ConfigureAwait(false);
        return new WorkspaceChanges(
            [.. log.Split('\n', StringSplitOptions.RemoveEmptyEntries)],
            [.. status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Length > 3 ? line[3..] : line)]);
    }

    /// <summary>Pushes the job's branch, the token passed through git's config environment only.</summary>
    public async Task PushAsync(Workspace workspace, string? token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var auth = token is null ? null : GitCredentials.Environment(token);
        await _git.RunAsync(workspace.Path, ["push", "--quiet", "origin", $"HEAD:refs/heads/{workspace.Branch}"], auth, cancellationToken).ConfigureAwait(false);
        LogPushed(_logger, workspace.Branch);
    }

    /// <summary>Removes the job's worktree (and its local branch); the bare repository stays for the next job.</summary>
    public async Task RemoveAsync(Workspace workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        using (await LockMirrorAsync(workspace.MirrorPath, cancellationToken).ConfigureAwait(false))
        {
            if (Directory.Exists(workspace.Path))
            {
                await _git.RunAsync(workspace.MirrorPath, ["worktree", "remove", "--force", workspace.Path], null, cancellationToken).ConfigureAwait(false);
            }
            await _git.RunAsync(workspace.MirrorPath, ["worktree", "prune"], null, cancellationToken).ConfigureAwait(false);
            await _git.SucceedsAsync(workspace.MirrorPath, ["branch", "--quiet", "-D", workspace.Branch], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Holds one mirror's lock: git changes to a mirror and its worktrees (fetch, worktree add and remove, a
    /// spare's move) are made one at a time, since git's own locks fail a second writer instead of queueing it.
    /// </summary>
    private async Task<MirrorLock> LockMirrorAsync(string mirror, CancellationToken cancellationToken)
    {
        var semaphore = _mirrorLocks.GetOrAdd(mirror, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new MirrorLock(semaphore);
    }

    private readonly struct MirrorLock(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }

    /// <summary>The commits the given refs point at in the mirror; a ref that does not exist is absent.</summary>
    private async Task<Dictionary<string, string>> RemoteCommitsAsync(string mirror, string[] refs, CancellationToken cancellationToken)
    {
        var output = await _git.RunAsync(mirror, ["for-each-ref", "--format=%(refname) %(objectname)", .. refs], null, cancellationToken).ConfigureAwait(false);
        var commits = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = line.LastIndexOf(' ');
            // for-each-ref matches by prefix: keep only the refs asked for.
            if (space > 0 && refs.Contains(line[..space], StringComparer.Ordinal))
            {
                commits[line[..space]] = line[(space + 1)..];
            }
        }
        return commits;
    }

    /// <summary>The job's branch for <paramref name="issueNumber"/>: <see cref="WorkspaceOptions.BranchPrefix"/> and the number.</summary>
    public string BranchFor(int issueNumber) => _options.BranchPrefix + issueNumber.ToString(CultureInfo.InvariantCulture);

    private string WorktreePath(WorkspaceRequest request) =>
        Path.Combine(_options.Root, "worktrees", request.Repository.Replace('/', Path.DirectorySeparatorChar), request.JobId);

    /// <summary>An earlier attempt's worktree of the same job on this node (a crash left it) goes before the new one is made.</summary>
    private async Task RemoveLeftoverWorktreeAsync(string mirror, string worktree, CancellationToken cancellationToken)
    {
        if (Directory.Exists(worktree))
        {
            await _git.RunAsync(mirror, ["worktree", "remove", "--force", worktree], null, cancellationToken).ConfigureAwait(false);
        }
    }

    private string MirrorPath(string repository) =>
        Path.Combine(_options.Root, "mirrors", repository.Replace('/', Path.DirectorySeparatorChar) + ".git");

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bare repository of {Repository} at {Path}")]
    private static partial void LogMirrorCreated(ILogger logger, string repository, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worktree for {Repository} on {Branch} (continuing the remote branch: {Reused}) at {Path}")]
    private static partial void LogWorktreeAdded(ILogger logger, string repository, string branch, bool reused, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushed {Branch}")]
    private static partial void LogPushed(ILogger logger, string branch);
}
