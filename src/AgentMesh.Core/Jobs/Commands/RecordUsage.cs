namespace AgentMesh.Core.Jobs.Commands;

/// <summary>Tokens and cost the agent used, reported as it goes.</summary>
public sealed record RecordUsage(TokenUsage Tokens, decimal CostUsd) : JobCommand;
