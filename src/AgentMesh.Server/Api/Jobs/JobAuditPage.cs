using AgentMesh.Guardrails.Audit;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>The audit trail of a job, one entry per run (and per attempt that ran the agent), oldest first.</summary>
public sealed record JobAuditPage(string JobId, IReadOnlyList<JobRunAudit> Runs);

/// <summary>One run's audit as stored when its agent finished.</summary>
/// <param name="Sequence">The <c>run_audit</c> event's sequence number in the job's history.</param>
/// <param name="At">When it was stored.</param>
/// <param name="Audit">Tool calls, files changed with their line counts, and the people involved.</param>
public sealed record JobRunAudit(long Sequence, DateTimeOffset At, RunAudit Audit);
