using AgentMesh.Agents.Events;
using AgentMesh.Core.Jobs;
using AgentMesh.Guardrails.Audit;
using AgentMesh.Guardrails.Cost;
using AgentMesh.Guardrails.Secrets;
using AgentMesh.Server.Actors;

namespace AgentMesh.Server.Worker;

/// <summary>
/// One run's guardrail state while its agent works: the spend against the run's cost cap and the audit trail,
/// both fed from the agent's events. The event loop and the chat watcher both report here, hence the lock.
/// </summary>
internal sealed class RunGuards
{
    private readonly Lock _gate = new();
    private readonly RunCostCap _cap;
    private readonly TimeProvider _time;
    private RunSpend _spend = RunSpend.Zero;
    private string? _sessionId;

    public RunGuards(JobActorState job, string worktree, RunCostCap cap, SecretScanner scanner, TimeProvider time)
    {
        _cap = cap;
        _time = time;
        Scanner = scanner;
        Audit = new RunAuditRecorder(JobActor.NaturalKey(job.Repo, job.Number, job.Kind), job.Run, worktree, scanner);
        if (job.TriggeredBy is { Length: > 0 } who)
        {
            Audit.RecordPerson(who, AuditRole.Triggered, time.GetUtcNow());
        }
        if (job.State == JobState.Fixing && job.FixFeedback is { } feedback)
        {
            Audit.RecordPerson(feedback.Author, AuditRole.Triggered, time.GetUtcNow());
        }
    }

    /// <summary>The audit of the run; read it only once the agent has stopped.</summary>
    public RunAuditRecorder Audit { get; }

    /// <summary>The secret scanner holding the node's secrets (also the audit's redactor).</summary>
    public SecretScanner Scanner { get; }

    /// <summary>The verdict that stopped the run, once its spend reached the cap.</summary>
    public CostCapVerdict? CapReached { get; private set; }

    /// <summary>Takes one agent event; returns the verdict the first time the spend reaches the cap.</summary>
    public CostCapVerdict? Observe(AgentEvent agentEvent)
    {
        lock (_gate)
        {
            switch (agentEvent)
            {
                case SessionStarted started:
                    _sessionId = started.SessionId;
                    return null;
                case ToolCall call:
                    Audit.RecordToolCall(_time.GetUtcNow(), call.Name, call.InputJson);
                    return null;
                case UsageReported usage:
                    _spend = _spend.AddTokens(new TokenUsage(usage.Usage.InputTokens, usage.Usage.OutputTokens, usage.Usage.CacheReadTokens, usage.Usage.CacheWriteTokens));
                    break;
                case CostReported cost:
                    _spend = _spend.ReportCost(_sessionId, cost.Usd);
                    break;
                default:
                    return null;
            }
            if (CapReached is null && _cap.Check(_spend) is { Reached: true } verdict)
            {
                CapReached = verdict;
                return verdict;
            }
            return null;
        }
    }

    /// <summary>Records a person's part in the run (a chat message, an approval).</summary>
    public void RecordPerson(string login, AuditRole role)
    {
        lock (_gate)
        {
            Audit.RecordPerson(login, role, _time.GetUtcNow());
        }
    }
}
