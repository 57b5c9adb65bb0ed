namespace AgentMesh.Guardrails.Audit;

/// <summary>The audit trail of one run: what the agent did, what it changed, who was involved.</summary>
/// <param name="JobKey">The job's natural key (<c>owner/name#n:kind</c>).</param>
/// <param name="Run">The run number.</param>
/// <param name="ToolCalls">The agent's tool calls in order (the first <see cref="RunAuditRecorder.MaxToolCalls"/>).</param>
/// <param name="ToolCallsDropped">Tool calls past the limit, counted but not kept.</param>
/// <param name="FilesChanged">The run's diff stats.</param>
/// <param name="People">Who triggered, approved, chatted or stopped, in order.</param>
public sealed record RunAudit(
    string JobKey,
    int Run,
    IReadOnlyList<AuditToolCall> ToolCalls,
    int ToolCallsDropped,
    IReadOnlyList<FileChange> FilesChanged,
    IReadOnlyList<AuditPersonAction> People)
{
    /// <summary>Every file the agent's tools read, once each, sorted.</summary>
    public IReadOnlyList<string> FilesRead => [.. ToolCalls.SelectMany(c => c.FilesRead).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every file the agent's tools wrote, once each, sorted.</summary>
    public IReadOnlyList<string> FilesWritten => [.. ToolCalls.SelectMany(c => c.FilesWritten).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
