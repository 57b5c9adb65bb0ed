namespace AgentMesh.Grains.Abstractions.Workers;

/// <summary>
/// One run of one job (key: <see cref="AgentRunTicket.WorkerKey"/>, job id and run number), placed only on
/// silos with the worker role: prepares the worktree and runs the agent CLI in a background task it owns,
/// staying active while the agent runs. The claim and its fence still live in the store
/// (docs/architecture.md, "where the move stands").
/// </summary>
public interface IAgentWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the run the ticket allows and answers once it has started, with the silo it runs on. A
    /// second call for the same run (a retried call) starts nothing and answers the same.
    /// </summary>
    Task<AgentRunStatus> StartAsync(AgentRunTicket ticket);

    /// <summary>Where the run is and whether it still runs; null when this run was never started here.</summary>
    Task<AgentRunStatus?> GetStatusAsync();
}
