using AgentMesh.Agents.Profiles;

namespace AgentMesh.Agents.Adapters;

/// <summary>Knows one CLI: how to start it, how to read its output, and how to talk to it while it runs.</summary>
public interface IAgentCliAdapter
{
    AgentCli Cli { get; }

    /// <summary>Arguments, extra variables and initial input for one run.</summary>
    AgentLaunch Prepare(AgentRunContext context);

    /// <summary>A fresh parser for one run's output.</summary>
    IAgentOutputParser CreateParser();

    /// <summary>The stdin line carrying a person's chat message, or null when the CLI cannot take one while running.</summary>
    string? FormatUserMessage(string text);

    /// <summary>The stdin line that interrupts the current turn, or null when the runner should send SIGINT instead.</summary>
    string? FormatInterrupt(string requestId);
}
