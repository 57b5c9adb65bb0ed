namespace AgentMesh.Agents.Tests;

internal static class HalfMadeWorktree
{
    /// <summary>
    /// Leaves <paramref name="worktree"/> as `git worktree add` does when killed before its checkout: the worktree's
    /// HEAD in git's records names no commit yet (the null id), and git's fetch refuses the whole mirror for it.
    /// </summary>
    public static void Make(string worktree)
    {
        var gitdir = File.ReadAllText(Path.Combine(worktree, ".git")).Trim()["gitdir: ".Length..];
        File.WriteAllText(Path.Combine(Path.GetFullPath(gitdir, worktree), "HEAD"), new string('0', 40) + "\n");
    }
}
