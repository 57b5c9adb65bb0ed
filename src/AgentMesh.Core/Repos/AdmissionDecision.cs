namespace AgentMesh.Core.Repos;

/// <summary>The repo actor's answer to "should this event become work?": <see cref="Admit"/>, <see cref="Reject"/> or <see cref="Defer"/>.</summary>
public abstract record AdmissionDecision
{
    private protected AdmissionDecision()
    {
    }

    /// <summary>The event becomes a job.</summary>
    public sealed record Admit : AdmissionDecision;

    /// <summary>The event never becomes work, for <paramref name="Reason"/>, explained in <paramref name="Message"/>.</summary>
    public sealed record Reject(RejectReason Reason, string Message) : AdmissionDecision;

    /// <summary>The event should be reconsidered at <paramref name="RetryAt"/>.</summary>
    public sealed record Defer(DeferReason Reason, string Message, DateTimeOffset RetryAt) : AdmissionDecision;
}
