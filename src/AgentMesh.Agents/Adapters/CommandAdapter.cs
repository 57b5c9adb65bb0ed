using AgentMesh.Agents.Profiles;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// Any program: the prompt is in a file (its path in <c>AGENTMESH_PROMPT_FILE</c>, and wherever an argument
/// says <c>{prompt_file}</c>), the output is plain text.
/// </summary>
public sealed class CommandAdapter : IAgentCliAdapter
{
    public const string PromptFilePlaceholder = "{prompt_file}";

    public AgentCli Cli => AgentCli.Command;

    public AgentLaunch Prepare(AgentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AgentLaunch
        {
            Arguments = [.. context.Profile.Arguments.Select(a => a.Replace(PromptFilePlaceholder, context.PromptFile, StringComparison.Ordinal))],
        };
    }

    public IAgentOutputParser CreateParser() => new PlainTextOutputParser();

    public string? FormatUserMessage(string text) => null;

    public string? FormatInterrupt(string requestId) => null;
}
