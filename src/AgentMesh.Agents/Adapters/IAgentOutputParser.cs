using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;

namespace AgentMesh.Agents.Adapters;

/// <summary>Turns one run's output lines into normalised events. One instance per run: parsers may keep state.</summary>
public interface IAgentOutputParser
{
    /// <summary>The events one output line means (often none or one).</summary>
    IReadOnlyList<AgentEvent> Parse(OutputLine line);

    /// <summary>Events owed once the process has exited (e.g. the final result of a plain-text CLI).</summary>
    IReadOnlyList<AgentEvent> Complete(ProcessExit exit);
}
