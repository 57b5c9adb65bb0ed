namespace AgentMesh.Agents.Outcomes;

/// <summary>The decided outcome of a run.</summary>
/// <param name="Kind">pr_ready, needs_clarification or failed.</param>
/// <param name="Summary">For pr_ready: the agent's summary, or one generated from the commit log.</param>
/// <param name="Questions">For needs_clarification: the questions, in order.</param>
/// <param name="Reason">For failed: why. For the others: how the outcome was decided.</param>
public sealed record AgentOutcome(AgentOutcomeKind Kind, string? Summary, IReadOnlyList<string> Questions, string Reason)
{
    public static AgentOutcome PrReady(string summary, string reason) => new(AgentOutcomeKind.PrReady, summary, [], reason);

    public static AgentOutcome NeedsClarification(IReadOnlyList<string> questions) =>
        new(AgentOutcomeKind.NeedsClarification, null, questions, "The agent asked for clarification.");

    public static AgentOutcome Failed(string reason) => new(AgentOutcomeKind.Failed, null, [], reason);

    /// <summary>The wire name: pr_ready, needs_clarification or failed.</summary>
    public string WireName => Kind switch
    {
        AgentOutcomeKind.PrReady => "pr_ready",
        AgentOutcomeKind.NeedsClarification => "needs_clarification",
        _ => "failed",
    };
}
