using System.Text.Json.Nodes;
using AgentMesh.Agents.Profiles;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// Claude Code in print mode with stream-json both ways: <c>claude -p --output-format stream-json
/// --input-format stream-json --verbose</c>. The prompt and later chat messages are user messages on stdin;
/// an interrupt is a control request on stdin. (As root, Claude Code refuses
/// <c>--dangerously-skip-permissions</c>, so tools are granted with <c>--allowedTools</c>.)
/// </summary>
public sealed class ClaudeCodeAdapter : IAgentCliAdapter
{
    public AgentCli Cli => AgentCli.Claude;

    public AgentLaunch Prepare(AgentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var profile = context.Profile;
        List<string> arguments = ["-p", "--output-format", "stream-json", "--input-format", "stream-json", "--verbose"];
        if (profile.Model is { } model)
        {
            arguments.AddRange(["--model", model]);
        }
        if (profile.MaxTurns is { } maxTurns)
        {
            arguments.AddRange(["--max-turns", maxTurns.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (profile.AllowedTools.Count > 0)
        {
            arguments.AddRange(["--allowedTools", string.Join(',', profile.AllowedTools)]);
        }
        if (profile.PermissionMode is { } mode)
        {
            arguments.AddRange(["--permission-mode", mode]);
        }
        if (context.ResumeSessionId is { } session)
        {
            arguments.AddRange(["--resume", session]);
        }
        arguments.AddRange(profile.Arguments);
        return new AgentLaunch
        {
            Arguments = arguments,
            Environment = new Dictionary<string, string>
            {
                // A worker runs unattended: no update checks, telemetry or error reports leave the node.
                ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
                ["DISABLE_AUTOUPDATER"] = "1",
                ["DISABLE_TELEMETRY"] = "1",
                ["DISABLE_ERROR_REPORTING"] = "1",
                ["CLAUDE_CONFIG_DIR"] = Path.Combine(context.HomeDirectory, ".claude"),
            },
            InitialInput = [UserMessage(context.Prompt)],
            StreamingInput = true,
        };
    }

    public IAgentOutputParser CreateParser() => new ClaudeCodeOutputParser();

    public string? FormatUserMessage(string text) => UserMessage(text);

    public string? FormatInterrupt(string requestId) => new JsonObject
    {
        ["type"] = "control_request",
        ["request_id"] = requestId,
        ["request"] = new JsonObject { ["subtype"] = "interrupt" },
    }.ToJsonString();

    private static string UserMessage(string text) => new JsonObject
    {
        ["type"] = "user",
        ["message"] = new JsonObject { ["role"] = "user", ["content"] = text },
    }.ToJsonString();
}
