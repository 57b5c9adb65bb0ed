using AgentMesh.Agents.Profiles;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// OpenAI Codex: <c>codex exec --json</c>, the prompt read from stdin (<c>-</c>) so a long prompt never meets
/// the argument size limit, <c>codex exec … resume &lt;id&gt; -</c> to continue. JSON lines out.
/// </summary>
public sealed class CodexAdapter : IAgentCliAdapter
{
    public AgentCli Cli => AgentCli.Codex;

    public AgentLaunch Prepare(AgentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // exec's own options come before its resume subcommand (clap parses them per level).
        List<string> arguments = ["exec", "--json", "--skip-git-repo-check", "--full-auto"];
        if (context.Profile.Model is { } model)
        {
            arguments.AddRange(["--model", model]);
        }
        arguments.AddRange(context.Profile.Arguments);
        if (context.ResumeSessionId is { } session)
        {
            arguments.AddRange(["resume", session]);
        }
        arguments.Add("-");
        return new AgentLaunch
        {
            Arguments = arguments,
            Environment = new Dictionary<string, string> { ["CODEX_HOME"] = Path.Combine(context.HomeDirectory, ".codex") },
            InitialInput = [context.Prompt],
        };
    }

    public IAgentOutputParser CreateParser() => new CodexOutputParser();

    public string? FormatUserMessage(string text) => null;

    public string? FormatInterrupt(string requestId) => null;
}
