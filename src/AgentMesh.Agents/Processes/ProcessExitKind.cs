namespace AgentMesh.Agents.Processes;

/// <summary>How a supervised agent process ended.</summary>
public enum ProcessExitKind
{
    /// <summary>Exit code 0, and nobody asked it to stop.</summary>
    Success,

    /// <summary>A non-zero exit code the agent chose (its own error report).</summary>
    AgentError,

    /// <summary>The run outlived its profile's timeout and was terminated.</summary>
    Timeout,

    /// <summary>A person or the node stopped it.</summary>
    Stopped,

    /// <summary>Ended by a signal nobody here sent (segfault, OOM killer, an outside kill).</summary>
    Crashed,
}
