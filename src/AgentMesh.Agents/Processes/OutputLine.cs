namespace AgentMesh.Agents.Processes;

/// <summary>One line an agent process wrote, without its line terminator.</summary>
public readonly record struct OutputLine(OutputStream Stream, string Text);
