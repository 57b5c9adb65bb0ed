using System.Text.Json;
using AgentMesh.Core;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Dashboard.Jobs;

/// <summary>Tokens and cost of one attempt of one run, summed from the job's <c>usage_recorded</c> events.</summary>
public sealed record RunUsageRow(int Run, int Attempt, long Tokens, decimal CostUsd)
{
    public const string EventType = "usage_recorded";

    /// <summary>One row per run and attempt, in order, from the job's history.</summary>
    public static IReadOnlyList<RunUsageRow> From(IEnumerable<JobEventRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. history
            .Where(e => e.Type == EventType)
            .Select(e => JsonSerializer.Deserialize<JobEvent>(e.DataJson, CoreJson.Options))
            .OfType<UsageRecorded>()
            .GroupBy(u => (u.Run, u.Attempt))
            .OrderBy(g => g.Key.Run).ThenBy(g => g.Key.Attempt)
            .Select(g => new RunUsageRow(g.Key.Run, g.Key.Attempt, g.Sum(u => u.Tokens.Total), g.Sum(u => u.CostUsd)))];
    }
}
