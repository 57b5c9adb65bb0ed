namespace AgentMesh.Agents.Workspaces;

/// <summary>What a job needs a worktree for.</summary>
/// <param name="Repository">owner/name.</param>
/// <param name="RemoteUrl">The clone URL (https://github.com/owner/name.git; a path in tests). Never holds a token.</param>
/// <param name="BaseBranch">The branch a new job branch starts from (the repo's default branch).</param>
/// <param name="IssueNumber">The issue the job works on; names the branch.</param>
/// <param name="JobId">Names the worktree folder, so two attempts never share one.</param>
public sealed record WorkspaceRequest(string Repository, string RemoteUrl, string BaseBranch, int IssueNumber, string JobId);
