using AgentMesh.Grains.Abstractions.Workers;

namespace AgentMesh.Grains.Workers;

/// <summary>
/// Runs a claimed job on this silo (worktree, agent, outcome). Implemented by the worker silo's host, which
/// owns the git, agent and GitHub services. <see cref="Start"/> registers the run with the silo's running
/// jobs before it returns, so the slot that claimed it can wait for its end.
/// </summary>
public interface IAgentRunHost
{
    /// <summary>Starts the run and returns its two moments; neither task faults.</summary>
    AgentRunTasks Start(AgentRunTicket ticket);
}

/// <param name="Started">Completes once the run's start is recorded with its job (or the run ended without one).</param>
/// <param name="Ended">Completes when the run has ended.</param>
public sealed record AgentRunTasks(Task Started, Task Ended);
