namespace AgentMesh.Agents.Outcomes;

/// <summary>What a finished agent run means for its job.</summary>
public enum AgentOutcomeKind
{
    /// <summary>Work to push and open (or update) a pull request with.</summary>
    PrReady,

    /// <summary>The agent asks people questions before it can go on.</summary>
    NeedsClarification,

    /// <summary>Nothing to show; <see cref="AgentOutcome.Reason"/> says why.</summary>
    Failed,
}
