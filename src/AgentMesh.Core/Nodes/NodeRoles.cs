namespace AgentMesh.Core.Nodes;

/// <summary>What a node does; an all-in-one node has both roles.</summary>
[Flags]
public enum NodeRoles
{
    None = 0,

    /// <summary>Serves webhooks, the API and the dashboard.</summary>
    Web = 1,

    /// <summary>Runs agents in its worker slots.</summary>
    Worker = 2,
}
