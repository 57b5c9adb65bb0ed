namespace AgentMesh.Guardrails.Secrets;

/// <summary>A line a diff adds.</summary>
/// <param name="Path">The file's path in the new tree.</param>
/// <param name="Line">The line's number in the new file (1-based).</param>
/// <param name="Text">The line without its leading '+'.</param>
public sealed record AddedLine(string Path, int Line, string Text);
