namespace AgentMesh.Core.Jobs;

/// <summary>How a chat message reaches a running agent.</summary>
public enum ChatMessageKind
{
    /// <summary>Delivered at the agent's next turn.</summary>
    Message,

    /// <summary>Interrupts the agent's current turn, then is delivered.</summary>
    Interrupt,
}
