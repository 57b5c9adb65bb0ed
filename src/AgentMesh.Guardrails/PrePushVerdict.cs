namespace AgentMesh.Guardrails;

/// <summary>What happens to a finished run's changes.</summary>
public enum PrePushVerdict
{
    /// <summary>Nothing found: push and open the pull request.</summary>
    Push,

    /// <summary>Protected paths changed and no maintainer approved yet: ask in a comment and wait.</summary>
    NeedsApproval,

    /// <summary>Credentials found: never push this run, whatever anyone approves.</summary>
    Blocked,
}
