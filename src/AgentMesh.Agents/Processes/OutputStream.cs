namespace AgentMesh.Agents.Processes;

/// <summary>Which of the agent's output pipes a line came from.</summary>
public enum OutputStream
{
    Stdout,
    Stderr,
}
