namespace AgentMesh.Agents.Adapters;

/// <summary>The built-in adapters, one per CLI kind.</summary>
public static class AgentCliAdapters
{
    public static IReadOnlyList<IAgentCliAdapter> All { get; } =
        [new ClaudeCodeAdapter(), new CodexAdapter(), new GeminiAdapter(), new AiderAdapter(), new CommandAdapter()];
}
