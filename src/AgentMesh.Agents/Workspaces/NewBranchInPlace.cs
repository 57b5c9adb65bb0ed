namespace AgentMesh.Agents.Workspaces;

/// <summary>
/// What <c>git checkout -B &lt;branch&gt;</c> does in a worktree whose detached HEAD is already at the commit the
/// branch must start from, without its process: a git process is 5–8 ms on the path from the webhook to the agent
/// on a busy 2-core node, most of it spent refreshing an index that cannot have changed. Two files are written, each
/// through git's lock-file protocol (write <c>&lt;file&gt;.lock</c>, rename it over the file), in the formats
/// gitrepository-layout(5) gives: the branch's loose ref <c>refs/heads/&lt;branch&gt;</c> in the mirror (a loose ref
/// wins over a packed one, so an earlier attempt's branch is reset as with <c>-B</c>), and the worktree's own
/// <c>HEAD</c> as a symbolic ref naming it. The index and the files are the commit's already.
/// </summary>
internal static class NewBranchInPlace
{
    /// <summary>
    /// Puts the worktree on <paramref name="branch"/> at <paramref name="commit"/>, or returns false, having changed
    /// nothing, where git's own checkout must do it: a mirror on the reftable ref backend (no loose refs), or a ref or
    /// HEAD being written by git (its lock file exists).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The branch is checked out in another worktree: two worktrees on one branch would each see the other's commits
    /// as changes. git 2.44 and later refuse this in <c>checkout -B</c> too (earlier ones allowed it), as
    /// <c>worktree add</c> always has.
    /// </exception>
    public static bool TrySwitch(string mirror, string worktreeAdmin, string branch, string commit)
    {
        if (CheckedOutElsewhere(mirror, worktreeAdmin, branch) is { } other)
        {
            throw new InvalidOperationException($"'{branch}' is already checked out in the worktree {other}.");
        }
        if (Directory.Exists(Path.Combine(mirror, "reftable")))
        {
            return false;
        }
        var refPath = Path.Combine(mirror, "refs", "heads", branch.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(refPath)!);
        if (!TryReplace(refPath, commit + "\n"))
        {
            return false;
        }
        // The branch may now exist without the worktree on it: harmless, as after a checkout that failed midway.
        return TryReplace(Path.Combine(worktreeAdmin, "HEAD"), $"ref: refs/heads/{branch}\n");
    }

    /// <summary>The administrative folder of another worktree on <paramref name="branch"/> (or the mirror's own HEAD), or null.</summary>
    private static string? CheckedOutElsewhere(string mirror, string worktreeAdmin, string branch)
    {
        var symref = $"ref: refs/heads/{branch}";
        var self = Path.TrimEndingDirectorySeparator(Path.GetFullPath(worktreeAdmin));
        var worktrees = Path.Combine(mirror, "worktrees");
        var others = Directory.Exists(worktrees)
            ? Directory.EnumerateDirectories(worktrees).Where(admin => !Path.GetFullPath(admin).Equals(self, StringComparison.Ordinal))
            : [];
        return others.Prepend(mirror)
            .FirstOrDefault(admin => File.Exists(Path.Combine(admin, "HEAD")) && File.ReadAllText(Path.Combine(admin, "HEAD")).Trim() == symref);
    }

    /// <summary>git's lock-file protocol: false when the lock is held (git is writing the same file).</summary>
    private static bool TryReplace(string path, string content)
    {
        var lockPath = path + ".lock";
        try
        {
            using (var file = new FileStream(lockPath, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(System.Text.Encoding.UTF8.GetBytes(content));
            }
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            return false;
        }
        File.Move(lockPath, path, overwrite: true);
        return true;
    }
}
