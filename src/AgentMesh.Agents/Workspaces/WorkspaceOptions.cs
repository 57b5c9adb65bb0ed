namespace AgentMesh.Agents.Workspaces;

/// <summary>Where and how jobs' git workspaces are made: <c>Workspaces</c>.</summary>
public sealed class WorkspaceOptions
{
    public const string SectionName = "Workspaces";

    /// <summary>The folder holding the bare mirrors (mirrors/) and the jobs' worktrees (worktrees/). Required.</summary>
    public string Root { get; set; } = "";

    /// <summary>A job's branch is this prefix plus the issue number. Default: "agentmesh/issue-".</summary>
    public string BranchPrefix { get; set; } = "agentmesh/issue-";

    /// <summary>Author and committer name of the commit holding an agent's leftover changes. Default: "AgentMesh".</summary>
    public string CommitAuthorName { get; set; } = "AgentMesh";

    /// <summary>Author and committer email of that commit. Default: "agentmesh@users.noreply.github.com".</summary>
    public string CommitAuthorEmail { get; set; } = "agentmesh@users.noreply.github.com";

    /// <summary>A job does not start when the workspace disk has less free space than this. Default: 1 GiB.</summary>
    public long MinimumFreeDiskBytes { get; set; } = 1L << 30;

    /// <summary>
    /// How many repositories keep a spare worktree on this node, checked out ahead at the base branch for the next
    /// job (the most recently used repositories; docs/agents.md, "Workspaces"). Each is one checkout on disk. 0 turns spares
    /// off: every job then fetches and checks out after it is claimed. Default: 8.
    /// </summary>
    public int SpareWorktrees { get; set; } = 8;

    /// <summary>The git program. Default: "git" on the node's PATH.</summary>
    public string GitPath { get; set; } = "git";
}
