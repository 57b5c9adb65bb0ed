using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Agents.Workspaces;

/// <summary>
/// Spare worktrees: at most one per repository, for up to <see cref="WorkspaceOptions.SpareWorktrees"/>
/// repositories (the most recently prepared). A spare lives under spares/ until a job adopts it, so nothing that
/// looks at the jobs' worktrees mistakes it for one.
/// </summary>
public sealed partial class WorkspaceManager
{
    private readonly ConcurrentDictionary<string, SpareWorktree> _spares = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _mirrorsSwept = new(StringComparer.Ordinal);
    private long _spareSequence;

    /// <summary>Takes the repository's spare worktree, if it has one: no other job can take it after.</summary>
    public SpareWorktree? TakeSpare(string repository) =>
        _spares.TryRemove(MirrorPath(repository), out var spare) ? spare : null;

    /// <summary>
    /// Fetches the repository and makes its spare worktree at the fetched tip of <paramref name="baseBranch"/>,
    /// replacing a spare at an older commit. Returns the spare; null when spares are turned off or the remote has no
    /// such branch.
    /// </summary>
    public async Task<SpareWorktree?> PrepareSpareAsync(string repository, string remoteUrl, string baseBranch, string? token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseBranch);
        if (_options.SpareWorktrees <= 0)
        {
            return null;
        }
        await FetchAsync(repository, remoteUrl, token, cancellationToken).ConfigureAwait(false);
        var mirror = MirrorPath(repository);
        SpareWorktree spare;
        // Released before the eviction below, which takes other mirrors' locks.
        using (await LockMirrorAsync(mirror, cancellationToken).ConfigureAwait(false))
        {
            var baseRef = $"refs/remotes/origin/{baseBranch}";
            if (!(await RemoteCommitsAsync(mirror, [baseRef], cancellationToken).ConfigureAwait(false)).TryGetValue(baseRef, out var commit))
            {
                return null;
            }
            if (_spares.TryGetValue(mirror, out var current) && current.Commit == commit && current.BaseBranch == baseBranch)
            {
                return current;
            }
            var path = Path.Combine(SparesRoot(repository), Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await _git.RunAsync(mirror, ["worktree", "add", "--quiet", "--detach", path, commit], null, cancellationToken).ConfigureAwait(false);
            spare = new SpareWorktree(repository, baseBranch, commit, path, Interlocked.Increment(ref _spareSequence));
            // A job may take the old spare until this line; after it, the new one.
            if (_spares.TryRemove(mirror, out var replaced))
            {
                await RemoveSpareFolderAsync(mirror, replaced.Path, cancellationToken).ConfigureAwait(false);
            }
            _spares[mirror] = spare;
            LogSparePrepared(_logger, repository, baseBranch, commit);
        }
        await EvictSparesBeyondLimitAsync(cancellationToken).ConfigureAwait(false);
        return spare;
    }

    /// <summary>
    /// Makes a spare taken with <see cref="TakeSpare"/> the job's worktree: moved to the job's folder and put on the
    /// job's branch at the spare's commit (reset, like <see cref="AddWorktreeAsync"/>, if an earlier attempt on this
    /// node left the branch behind). The caller has checked, or checks meanwhile, that the spare's commit is still
    /// the base branch's tip and that the job has no branch on the remote to continue; if not, it removes the
    /// workspace again (<see cref="RemoveAsync"/>). On failure nothing of the spare is left.
    /// </summary>
    public async Task<Workspace> AdoptSpareAsync(SpareWorktree spare, WorkspaceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spare);
        ArgumentNullException.ThrowIfNull(request);
        var mirror = MirrorPath(request.Repository);
        var branch = BranchFor(request.IssueNumber);
        var worktree = WorktreePath(request);
        using var mirrorLock = await LockMirrorAsync(mirror, cancellationToken).ConfigureAwait(false);
        try
        {
            await RemoveLeftoverWorktreeAsync(mirror, worktree, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(worktree)!);
            var admin = MoveWorktree(spare.Path, worktree);
            if (!NewBranchInPlace.TrySwitch(mirror, admin, branch, spare.Commit))
            {
                await _git.RunAsync(worktree, ["checkout", "--quiet", "-B", branch], null, cancellationToken).ConfigureAwait(false);
            }
            LogSpareAdopted(_logger, request.Repository, branch, spare.Commit, worktree);
            return new Workspace(worktree, branch, spare.Commit, mirror, ReusedRemoteBranch: false);
        }
        catch
        {
            await RemoveSpareFolderAsync(mirror, spare.Path, CancellationToken.None).ConfigureAwait(false);
            await RemoveSpareFolderAsync(mirror, worktree, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// What <c>git worktree move</c> does, without its process (about 3 ms on the path to the agent): renames the
    /// folder and points the worktree's administrative <c>gitdir</c> file (gitrepository-layout(5): "the absolute path
    /// back to the .git file that points to here") at its new place. A spare is ours alone, so none of what git's
    /// own move checks (a lock, submodules, a dirty tree) can apply.
    /// </summary>
    /// <returns>The worktree's administrative folder in the mirror.</returns>
    private static string MoveWorktree(string from, string to)
    {
        var dotGit = File.ReadAllText(Path.Combine(from, ".git")).Trim();
        const string Prefix = "gitdir: ";
        if (!dotGit.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{from}/.git does not name its worktree's git folder: '{dotGit}'.");
        }
        var admin = Path.GetFullPath(dotGit[Prefix.Length..], from);
        Directory.Move(from, to);
        File.WriteAllText(Path.Combine(admin, "gitdir"), Path.Combine(to, ".git") + "\n");
        return admin;
    }

    /// <summary>Removes the oldest spares while more repositories than <see cref="WorkspaceOptions.SpareWorktrees"/> have one.</summary>
    private async Task EvictSparesBeyondLimitAsync(CancellationToken cancellationToken)
    {
        while (_spares.Count > _options.SpareWorktrees)
        {
            var oldest = _spares.MinBy(pair => pair.Value.Sequence);
            // Only if still there: a job may have taken it meanwhile.
            if (oldest.Value is not null && _spares.TryRemove(oldest))
            {
                using (await LockMirrorAsync(oldest.Key, cancellationToken).ConfigureAwait(false))
                {
                    await RemoveSpareFolderAsync(oldest.Key, oldest.Value.Path, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Once per repository in this process, in its first fetch (so before its first spare or worktree): the spares an
    /// earlier life of the node left (it knew them only in memory) are deleted, and so is any worktree, a spare's or a
    /// job's, that an earlier life was killed while `git worktree add` was making: its HEAD names no commit yet (the null
    /// id git writes first), and git's fetch refuses the whole mirror for it ("bad object worktrees/…/HEAD"), so every
    /// job of the repository would fail. Then git forgets them.
    /// </summary>
    private async Task SweepLeftoversAsync(string repository, string mirror, CancellationToken cancellationToken)
    {
        if (!_mirrorsSwept.TryAdd(mirror, true))
        {
            return;
        }
        var root = SparesRoot(repository);
        if (Directory.Exists(root))
        {
            foreach (var folder in Directory.EnumerateDirectories(root))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        // Only under the workspace root: the records name where git made each worktree, and nothing else is ours to delete.
        var workspaceRoot = Path.GetFullPath(_options.Root) + Path.DirectorySeparatorChar;
        foreach (var halfMade in HalfMadeWorktrees(mirror).Where(folder => Path.GetFullPath(folder).StartsWith(workspaceRoot, StringComparison.Ordinal)))
        {
            LogHalfMadeWorktreeRemoved(_logger, repository, halfMade);
            Directory.Delete(halfMade, recursive: true);
        }
        await _git.RunAsync(mirror, ["worktree", "prune"], null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The folders of the mirror's worktrees whose HEAD is git's null id (all zeros), read from git's own records.</summary>
    private static IEnumerable<string> HalfMadeWorktrees(string mirror)
    {
        var records = Path.Combine(mirror, "worktrees");
        if (!Directory.Exists(records))
        {
            yield break;
        }
        foreach (var record in Directory.EnumerateDirectories(records))
        {
            var head = Path.Combine(record, "HEAD");
            var gitdir = Path.Combine(record, "gitdir");
            if (File.Exists(head) && File.Exists(gitdir)
                && File.ReadAllText(head).Trim() is { Length: 40 or 64 } id && id.All(c => c == '0')
                && Path.GetDirectoryName(File.ReadAllText(gitdir).Trim()) is { } folder && Directory.Exists(folder))
            {
                yield return folder;
            }
        }
    }

    /// <summary>Removes a worktree folder of the mirror if it is there; a failure is logged, never thrown (it is tidying up).</summary>
    private async Task RemoveSpareFolderAsync(string mirror, string path, CancellationToken cancellationToken)
    {
        try
        {
            if (Directory.Exists(path))
            {
                await _git.RunAsync(mirror, ["worktree", "remove", "--force", path], null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSpareRemovalFailed(_logger, ex, path);
        }
    }

    private string SparesRoot(string repository) =>
        Path.Combine(_options.Root, "spares", repository.Replace('/', Path.DirectorySeparatorChar));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed the half-made worktree of {Repository} at {Path}: an earlier life of the node was killed while making it")]
    private static partial void LogHalfMadeWorktreeRemoved(ILogger logger, string repository, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spare worktree of {Repository} ready at {BaseBranch} {Commit}")]
    private static partial void LogSparePrepared(ILogger logger, string repository, string baseBranch, string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worktree for {Repository} on {Branch} from the spare at {Commit}, at {Path}")]
    private static partial void LogSpareAdopted(ILogger logger, string repository, string branch, string commit, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The worktree at {Path} could not be removed")]
    private static partial void LogSpareRemovalFailed(ILogger logger, Exception exception, string path);
}
