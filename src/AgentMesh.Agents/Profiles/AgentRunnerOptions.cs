namespace AgentMesh.Agents.Profiles;

/// <summary>The agent runner's configuration: <c>Agents</c>.</summary>
public sealed class AgentRunnerOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Agents";

    /// <summary>The agent profiles by name.</summary>
    public IDictionary<string, AgentProfile> Profiles { get; } = new Dictionary<string, AgentProfile>(StringComparer.Ordinal);

    /// <summary>The profile a job uses when its repo names none. Default: "claude".</summary>
    public string DefaultProfile { get; set; } = "claude";

    /// <summary>How long a stopped or timed-out agent gets between SIGTERM and SIGKILL. Default: 10 seconds.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Node variables an agent inherits (values taken from the node's environment when set). Default: PATH,
    /// LANG, LC_ALL, TERM, TZ, USER, LOGNAME; entries bound from configuration are added to these. Everything
    /// else (tokens, connection strings) is left behind.
    /// </summary>
    public IList<string> EnvironmentAllowlist { get; } = ["PATH", "LANG", "LC_ALL", "TERM", "TZ", "USER", "LOGNAME"];

    /// <summary>
    /// Where each run gets its scratch folder (a fresh empty HOME, the prompt file). Default: the system temp
    /// folder's agentmesh-runs.
    /// </summary>
    public string? RunsDirectory { get; set; }
}
