namespace AgentMesh.Core.Jobs;

/// <summary>The last failure a job saw, kept so a person can read why it retried or failed.</summary>
/// <param name="Reason">Human-readable reason, as reported by the worker, or by the job grain that found its run lost.</param>
/// <param name="Classification">Whether it was retried (transient) or ended the job (permanent).</param>
/// <param name="Attempt">The attempt that failed.</param>
/// <param name="At">When it was recorded.</param>
public sealed record JobError(string Reason, ErrorClass Classification, int Attempt, DateTimeOffset At);
