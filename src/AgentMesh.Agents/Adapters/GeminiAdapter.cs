using AgentMesh.Agents.Profiles;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// Gemini CLI headless: <c>gemini --output-format stream-json --approval-mode yolo --prompt &lt;prompt&gt;</c>,
/// <c>--resume &lt;id&gt;</c> to continue. JSON lines out (init, message, tool_use, tool_result, error, result).
/// </summary>
public sealed class GeminiAdapter : IAgentCliAdapter
{
    public AgentCli Cli => AgentCli.Gemini;

    public AgentLaunch Prepare(AgentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        List<string> arguments = ["--output-format", "stream-json", "--approval-mode", "yolo"];
        if (context.Profile.Model is { } model)
        {
            arguments.AddRange(["--model", model]);
        }
        if (context.ResumeSessionId is { } session)
        {
            arguments.AddRange(["--resume", session]);
        }
        arguments.AddRange(context.Profile.Arguments);
        arguments.AddRange(["--prompt", context.Prompt]);
        return new AgentLaunch
        {
            Arguments = arguments,
            // Headless runs in a worktree outside the person's trusted folders would otherwise refuse tools.
            Environment = new Dictionary<string, string> { ["GEMINI_CLI_TRUST_WORKSPACE"] = "true" },
        };
    }

    public IAgentOutputParser CreateParser() => new GeminiOutputParser();

    public string? FormatUserMessage(string text) => null;

    public string? FormatInterrupt(string requestId) => null;
}
