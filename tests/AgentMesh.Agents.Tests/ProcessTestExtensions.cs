using AgentMesh.Agents.Processes;
using AgentMesh.Testing;

namespace AgentMesh.Agents.Tests;

internal static class ProcessTestExtensions
{
    /// <summary>Reads output until a line equal to <paramref name="expected"/> arrives (deadline-bounded), returning the lines read.</summary>
    public static async Task<List<string>> ReadUntilAsync(this AgentProcess process, string expected, TimeSpan? timeout = null)
    {
        var lines = new List<string>();
        async Task<List<string>> Read()
        {
            await foreach (var line in process.Output.ReadAllAsync())
            {
                lines.Add(line.Text);
                if (line.Text == expected)
                {
                    return lines;
                }
            }
            throw new InvalidOperationException($"The process ended before printing '{expected}'. Output: {string.Join(" | ", lines)}");
        }
        return await Eventually.WithinAsync(Read(), $"the agent to print '{expected}'", timeout);
    }

    public static async Task<List<OutputLine>> ReadAllLinesAsync(this AgentProcess process)
    {
        var lines = new List<OutputLine>();
        await foreach (var line in process.Output.ReadAllAsync())
        {
            lines.Add(line);
        }
        return lines;
    }

    public static Dictionary<string, string> BasicEnvironment() => new() { ["PATH"] = "/usr/local/bin:/usr/bin:/bin" };

    /// <summary>Whether the process runs: a zombie still has a /proc entry, with state letter Z.</summary>
    public static bool ProcessIsAlive(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[text.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
