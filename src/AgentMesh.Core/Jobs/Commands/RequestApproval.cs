namespace AgentMesh.Core.Jobs.Commands;

/// <summary>
/// The worker's pre-push check found changes to protected paths: the run's work is held, unpushed, at
/// <paramref name="Commit"/> until a maintainer approves it.
/// </summary>
/// <param name="Commit">The commit the check inspected (the held branch head); approval pushes exactly this commit.</param>
/// <param name="Summary">The agent's summary, for the pull request opened after approval.</param>
/// <param name="Paths">The protected paths the run changed.</param>
public sealed record RequestApproval(string Commit, string Summary, IReadOnlyList<string> Paths) : JobCommand;
