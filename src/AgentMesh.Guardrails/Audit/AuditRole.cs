namespace AgentMesh.Guardrails.Audit;

/// <summary>What a person did in a run.</summary>
public enum AuditRole
{
    /// <summary>Asked for the work (label, mention, assignment, review feedback).</summary>
    Triggered,

    /// <summary>Approved a protected-path change.</summary>
    Approved,

    /// <summary>Sent a chat message to the running agent.</summary>
    Chatted,

    /// <summary>Stopped or interrupted the run.</summary>
    Stopped,
}

/// <summary>One thing a person did in a run.</summary>
/// <param name="Login">Their GitHub login (or dashboard user).</param>
/// <param name="Role">What they did.</param>
/// <param name="At">When.</param>
public sealed record AuditPersonAction(string Login, AuditRole Role, DateTimeOffset At);
