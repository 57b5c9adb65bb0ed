namespace AgentMesh.Agents.Sandbox;

/// <summary>What one sandboxed agent may see.</summary>
/// <param name="Worktree">The job's worktree, mounted read-write at the same path.</param>
/// <param name="HomeDirectory">An empty folder mounted read-write as the agent's HOME.</param>
/// <param name="Network">False: the agent gets its own network namespace with no interfaces up.</param>
/// <param name="ReadWritePaths">Other paths mounted read-write at the same path (the repo's git directory).</param>
/// <param name="ReadOnlyPaths">Other paths mounted read-only at the same path (the agent CLI's install folder).</param>
public sealed record SandboxSpec(
    string Worktree,
    string HomeDirectory,
    bool Network,
    IReadOnlyList<string> ReadWritePaths,
    IReadOnlyList<string> ReadOnlyPaths)
{
    /// <summary>
    /// The node's egress proxy socket: when set, the sandbox has no network of its own and the agent runs under
    /// a relay to this socket, with the proxy variables set (see <c>SandboxEgress</c>). Default: null.
    /// </summary>
    public string? EgressSocketPath { get; init; }
}
