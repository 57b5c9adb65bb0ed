namespace AgentMesh.Agents.Profiles;

/// <summary>
/// How to run one kind of agent: which CLI, model, environment, tools, limits and isolation. Configured
/// under <c>Agents:Profiles:&lt;name&gt;</c>.
/// </summary>
public sealed class AgentProfile
{
    /// <summary>The CLI this profile runs. Default: <see cref="AgentCli.Claude"/>.</summary>
    public AgentCli Cli { get; set; } = AgentCli.Claude;

    /// <summary>
    /// The program to start: an absolute path or a name on the agent's PATH. Default: the CLI's usual name
    /// (claude, codex, gemini, aider). Required for <see cref="AgentCli.Command"/>.
    /// </summary>
    public string? Command { get; set; }

    /// <summary>
    /// Extra arguments, appended after the adapter's own. For <see cref="AgentCli.Command"/> these are all the
    /// arguments; <c>{prompt_file}</c> in one is replaced by the prompt file's path.
    /// </summary>
    public IList<string> Arguments { get; } = [];

    /// <summary>The model to ask the CLI for. Default: none (the CLI's own default).</summary>
    public string? Model { get; set; }

    /// <summary>
    /// Plain variables this profile's agent gets, e.g. <c>ANTHROPIC_BASE_URL</c> or <c>ANTHROPIC_MODEL</c> to use
    /// OpenRouter or a self-hosted endpoint. Not for secrets: name those in <see cref="Secrets"/>.
    /// </summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Names of node secrets this profile's agent receives as variables of the same name (e.g.
    /// <c>ANTHROPIC_API_KEY</c>). Every other node secret stays out of the agent's environment.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>Tools the agent may use without asking (Claude Code's <c>--allowedTools</c>). Default: none listed.</summary>
    public IList<string> AllowedTools { get; } = [];

    /// <summary>Claude Code's <c>--permission-mode</c> (e.g. acceptEdits). Default: none (the CLI's default).</summary>
    public string? PermissionMode { get; set; }

    /// <summary>The most agentic turns a run may take (<c>--max-turns</c>). Default: null (no limit passed).</summary>
    public int? MaxTurns { get; set; }

    /// <summary>The longest a run may take before it is terminated. Default: 1 hour.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The profile to run instead when this one fails with a provider error. Default: none.</summary>
    public string? Fallback { get; set; }

    /// <summary>Run the agent inside bubblewrap (see docs/agents.md). Default: false.</summary>
    public bool Sandbox { get; set; }

    /// <summary>Whether a sandboxed agent has network access. Default: true (a hosted model needs it).</summary>
    public bool Network { get; set; } = true;

    /// <summary>
    /// Hosts a sandboxed agent may reach (<c>api.anthropic.com</c>, <c>host:port</c>, <c>*.suffix</c>; port 443 when
    /// none is given), through an egress proxy the node runs for each run; everything else is refused and shown in
    /// the job log. Empty: no proxy, <see cref="Network"/> decides. Ignored unless <see cref="Sandbox"/>. Default: empty.
    /// </summary>
    public IList<string> EgressAllowlist { get; } = [];

    /// <summary>Dollars one run of this profile may spend before the node stops it; null: no cap. Default: null.</summary>
    public decimal? MaxRunCostUsd { get; set; }

    /// <summary>Tokens one run of this profile may use before the node stops it; null: no cap. Default: null.</summary>
    public long? MaxRunTokens { get; set; }

    /// <summary>The program to start, with the CLI's usual name filled in.</summary>
    public string ResolveCommand() => Command ?? Cli switch
    {
        AgentCli.Claude => "claude",
        AgentCli.Codex => "codex",
        AgentCli.Gemini => "gemini",
        AgentCli.Aider => "aider",
        _ => throw new InvalidOperationException("A command profile names its Command."),
    };
}
