namespace AgentMesh.Core.Jobs;

/// <summary>
/// A run's checkpoint: its work is on the pushed branch, and only the pull request and the comment
/// remain. Kept across the run's retries (unlike <see cref="JobActorState.PrReadySummary"/>), so a
/// retry after a GitHub error past the push resumes at the pull request instead of running the agent
/// again on a branch that holds the work already.
/// </summary>
/// <param name="Run">The run that pushed; a re-run starts without a checkpoint.</param>
/// <param name="Summary">The agent's summary, for the pull request's description.</param>
public sealed record PushedWork(int Run, string Summary, DateTimeOffset At);
