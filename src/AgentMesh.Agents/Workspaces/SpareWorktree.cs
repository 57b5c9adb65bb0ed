namespace AgentMesh.Agents.Workspaces;

/// <summary>
/// A worktree checked out ahead of time, detached at the tip of a repository's base branch as last fetched, for
/// the repository's next job on this node (<see cref="WorkspaceManager.PrepareSpareAsync"/>). Adopting it saves
/// that job the fetch and the checkout; it is only adopted once GitHub confirms that the base branch still points at
/// <see cref="Commit"/>, so a job never starts from an older base than a fetch would have given it.
/// </summary>
/// <param name="Repository">owner/name.</param>
/// <param name="BaseBranch">The branch it was checked out from (the repository's default branch then).</param>
/// <param name="Commit">The commit it is checked out at.</param>
/// <param name="Path">Its folder, under the workspace root's spares/.</param>
/// <param name="Sequence">Orders spares by when they were made: the oldest goes first when there are too many.</param>
public sealed record SpareWorktree(string Repository, string BaseBranch, string Commit, string Path, long Sequence);
