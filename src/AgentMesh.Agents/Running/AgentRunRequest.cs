namespace AgentMesh.Agents.Running;

/// <summary>One request to run an agent on a task in a worktree.</summary>
public sealed record AgentRunRequest
{
    /// <summary>The task, in the words the agent should read. The outcome instructions are appended to it.</summary>
    public required string Prompt { get; init; }

    /// <summary>The job's worktree: the agent's working directory and the only project files it sees.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The profile to run; null runs the configured default.</summary>
    public string? ProfileName { get; init; }

    /// <summary>A CLI session to continue (Claude Code's <c>--resume</c>); needs the same <see cref="HomeDirectory"/>.</summary>
    public string? ResumeSessionId { get; init; }

    /// <summary>
    /// The agent's HOME. Null gives each run a fresh, empty one that is deleted afterwards; a job that wants to
    /// resume a session later passes a folder of its own, because the CLI keeps its sessions there.
    /// </summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Paths a sandboxed agent may also write (the repo's shared git directory, for commits).</summary>
    public IReadOnlyList<string> SandboxReadWritePaths { get; init; } = [];

    /// <summary>
    /// The unix socket of the node's egress proxy for this run. A sandboxed profile with an egress allowlist reaches
    /// the network only through it; without it such a profile gets no network at all (fail closed).
    /// </summary>
    public string? EgressSocketPath { get; init; }

    /// <summary>Whether to append <see cref="Outcomes.OutcomeProtocol.Instructions"/> to the prompt. Default: true.</summary>
    public bool AppendOutcomeInstructions { get; init; } = true;
}
