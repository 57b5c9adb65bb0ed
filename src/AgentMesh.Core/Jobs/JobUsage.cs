namespace AgentMesh.Core.Jobs;

/// <summary>A job's usage: the attempt under way (reset when a worker starts an attempt) and the job's lifetime total.</summary>
public sealed record JobUsage(UsageTotals ThisAttempt, UsageTotals Total)
{
    /// <summary>Nothing used yet.</summary>
    public static JobUsage Zero { get; } = new(UsageTotals.Zero, UsageTotals.Zero);
}
