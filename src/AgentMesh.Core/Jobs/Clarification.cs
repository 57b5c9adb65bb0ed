namespace AgentMesh.Core.Jobs;

/// <summary>
/// The latest round of questions the agent asked, and the answer once it arrives. Only the latest round is kept
/// in state; earlier rounds are in the job's event history.
/// </summary>
/// <param name="Questions">The questions, in the order the agent asked them.</param>
/// <param name="AskedAt">When the agent asked.</param>
/// <param name="Answer">The reply, or null while the job waits for one.</param>
public sealed record Clarification(IReadOnlyList<string> Questions, DateTimeOffset AskedAt, ClarificationAnswer? Answer);
