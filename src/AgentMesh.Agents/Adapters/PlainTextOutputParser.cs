using System.Text;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;

namespace AgentMesh.Agents.Adapters;

/// <summary>
/// For CLIs that print plain text: every stdout line is assistant text, stderr lines are raw output, and
/// when the process exits the whole stdout is the final result (so an outcome block anywhere in it counts).
/// </summary>
public class PlainTextOutputParser : IAgentOutputParser
{
    private readonly StringBuilder _stdout = new();

    public virtual IReadOnlyList<AgentEvent> Parse(OutputLine line)
    {
        if (line.Stream == OutputStream.Stderr)
        {
            return [new RawOutput(line.Text, FromStderr: true)];
        }
        _stdout.Append(line.Text).Append('\n');
        return [new AssistantText(line.Text)];
    }

    public virtual IReadOnlyList<AgentEvent> Complete(ProcessExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        var text = _stdout.ToString();
        if (exit.Kind == ProcessExitKind.AgentError)
        {
            var kind = ProviderErrors.IsProviderError(null, LastLines(text)) ? AgentErrorKind.Provider : AgentErrorKind.Agent;
            return [new AgentFailed(kind, $"The agent exited with code {exit.ExitCode}."), new FinalResult(text, null, IsError: true)];
        }
        return [new FinalResult(text, null, IsError: exit.Kind != ProcessExitKind.Success)];
    }

    private static string LastLines(string text) => text.Length > 2000 ? text[^2000..] : text;
}
