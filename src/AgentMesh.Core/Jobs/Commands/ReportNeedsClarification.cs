namespace AgentMesh.Core.Jobs.Commands;

/// <summary>The agent needs answers from a person before it can continue.</summary>
public sealed record ReportNeedsClarification(IReadOnlyList<string> Questions) : JobCommand;
