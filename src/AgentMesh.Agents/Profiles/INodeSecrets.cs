namespace AgentMesh.Agents.Profiles;

/// <summary>The node's secrets by name (API keys a profile may hand to its agent). Values are never logged.</summary>
public interface INodeSecrets
{
    /// <summary>The secret's value, or null when the node has no such secret.</summary>
    string? Find(string name);
}
