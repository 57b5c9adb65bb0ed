using AgentMesh.Agents.Profiles;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// Aider, one-shot: <c>aider --message-file Aider, one-shot: <c>aider --message &lt;prompt&gt; --yes-always --no-pretty --no-stream</c>. Its output islt;prompt fileAider, one-shot: <c>aider --message &lt;prompt&gt; --yes-always --no-pretty --no-stream</c>. Its output isgt; --yes-always --no-pretty --no-stream</c> (the prompt as
/// <c>--message</c> would, without the argument size limit). Its output is
/// plain text; the "Tokens: … sent, … received. Cost: $… message, $… session." lines become usage and cost.
/// </summary>
public sealed class AiderAdapter : IAgentCliAdapter
{
    public AgentCli Cli => AgentCli.Aider;

    public AgentLaunch Prepare(AgentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        List<string> arguments = ["--message-file", context.PromptFile, "--yes-always", "--no-pretty", "--no-stream", "--no-check-update", "--no-show-release-notes"];
        if (context.Profile.Model is { } model)
        {
            arguments.AddRange(["--model", model]);
        }
        arguments.AddRange(context.Profile.Arguments);
        return new AgentLaunch { Arguments = arguments };
    }

    public IAgentOutputParser CreateParser() => new AiderOutputParser();

    public string? FormatUserMessage(string text) => null;

    public string? FormatInterrupt(string requestId) => null;
}
