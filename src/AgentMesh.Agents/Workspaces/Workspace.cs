namespace AgentMesh.Agents.Workspaces;

/// <summary>A job's git worktree.</summary>
/// <param name="Path">The worktree folder (the agent's working directory).</param>
/// <param name="Branch">The job's branch, e.g. agentmesh/issue-42.</param>
/// <param name="BaseCommit">HEAD when the worktree was made: "new commits" are those after it.</param>
/// <param name="MirrorPath">The repo's shared bare repository (a sandboxed agent needs it writable to commit).</param>
/// <param name="ReusedRemoteBranch">True when the branch already existed on the remote (a re-run) and was continued.</param>
public sealed record Workspace(string Path, string Branch, string BaseCommit, string MirrorPath, bool ReusedRemoteBranch);
