using AgentMesh.Grains.Abstractions.Workers;

namespace AgentMesh.Grains.Workers;

/// <summary>
/// Runs a claimed job on this silo (worktree, agent, outcome). Implemented by the worker silo's host, which
/// owns the git, agent and GitHub services. <see cref="Start"/> registers the run with the silo's running
/// jobs before it returns, so the slot that claimed it can wait for its end.
/// </summary>
public interface IAgentRunHost
{
    /// <summary>Starts the run and returns it; the task ends with the run and never faults.</summary>
    Task Start(AgentRunTicket ticket);
}
