namespace AgentMesh.Agents.Processes;

/// <summary>
/// Everything needed to start one agent process. The command and its arguments are an argv list that
/// never passes through a shell; <see cref="Environment"/> is the complete environment (nothing is
/// inherited from the node).
/// </summary>
public sealed record AgentProcessStartInfo
{
    /// <summary>The program to run: an absolute path, or a name looked up on the PATH in <see cref="Environment"/>.</summary>
    public required string FileName { get; init; }

    /// <summary>The arguments, each passed to the program as one argv entry.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory: the job's worktree.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The complete environment of the process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Terminate the process (SIGTERM, grace, SIGKILL) when it runs longer than this. Null: no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long a terminated process gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
