namespace AgentMesh.Agents.Events;

/// <summary>Why an agent run failed, as far as the runner's next step is concerned.</summary>
public enum AgentErrorKind
{
    /// <summary>The model provider failed (overloaded, rate limited, unavailable): the fallback profile may help.</summary>
    Provider,

    /// <summary>The run hit its turn limit.</summary>
    MaxTurns,

    /// <summary>Anything else the agent reported.</summary>
    Agent,
}
