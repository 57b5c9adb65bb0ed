namespace AgentMesh.Agents.Profiles;

/// <summary>
/// Builds an agent's complete environment: the allowlisted node variables, the profile's own variables, the
/// node secrets the profile names, then the run's own (HOME and the CLI's quiet flags). Nothing else of the
/// node's environment gets through.
/// </summary>
public static class AgentEnvironment
{
    /// <summary>Used when the node itself has no PATH.</summary>
    public const string FallbackPath = "/usr/local/bin:/usr/bin:/bin";

    public static Dictionary<string, string> Build(
        IEnumerable<string> allowlist,
        Func<string, string?> nodeVariable,
        AgentProfile profile,
        INodeSecrets secrets,
        IReadOnlyDictionary<string, string> runVariables,
        string profileName)
    {
        ArgumentNullException.ThrowIfNull(allowlist);
        ArgumentNullException.ThrowIfNull(nodeVariable);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(runVariables);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in allowlist)
        {
            if (nodeVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }
        environment.TryAdd("PATH", FallbackPath);
        foreach (var (name, value) in profile.Environment)
        {
            environment[name] = value;
        }
        foreach (var name in profile.Secrets)
        {
            environment[name] = secrets.Find(name) ?? throw new InvalidOperationException(
                $"Profile '{profileName}' asks for the node secret '{name}', which this node does not have.");
        }
        foreach (var (name, value) in runVariables)
        {
            environment[name] = value;
        }
        return environment;
    }
}
