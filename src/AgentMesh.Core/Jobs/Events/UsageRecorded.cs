namespace AgentMesh.Core.Jobs.Events;

/// <summary>Tokens and cost were added to the job's totals.</summary>
public sealed record UsageRecorded(DateTimeOffset At, int Run, int Attempt, TokenUsage Tokens, decimal CostUsd, UsageTotals Total) : JobEvent(At);
