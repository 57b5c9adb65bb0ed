namespace AgentMesh.Agents.Profiles;

/// <summary>Node secrets held in memory (bound from configuration, or given by a test).</summary>
public sealed class DictionaryNodeSecrets(IReadOnlyDictionary<string, string> secrets) : INodeSecrets
{
    public static readonly DictionaryNodeSecrets Empty = new(new Dictionary<string, string>());

    public string? Find(string name) => secrets.TryGetValue(name, out var value) ? value : null;
}
