namespace AgentMesh.Agents.Workspaces;

/// <summary>What an agent left in its worktree.</summary>
/// <param name="CommitSubjects">Subjects of the commits made since the worktree's base commit, oldest first.</param>
/// <param name="UncommittedFiles">Paths with uncommitted changes (modified, added, deleted or untracked).</param>
public sealed record WorkspaceChanges(IReadOnlyList<string> CommitSubjects, IReadOnlyList<string> UncommittedFiles)
{
    public bool HasChanges => CommitSubjects.Count > 0 || UncommittedFiles.Count > 0;
}
