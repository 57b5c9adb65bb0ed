using System.Text;
using AgentMesh.Agents.Processes;
using CliWrap;

namespace AgentMesh.Agents.Workspaces;

/// <summary>
/// Runs git through CliWrap with an argv list and a clean environment (no node secrets, no prompts), returning
/// its output. Credentials, when needed, come in through <see cref="GitCredentials"/> variables only. Cancelling
/// kills git (CliWrap's forceful cancellation) rather than leaving it running.
/// </summary>
public sealed class Git(string gitPath = "git")
{
    public async Task<string> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = System.Environment.GetEnvironmentVariable("HOME") ?? "/tmp",
            ["LANG"] = "C",
            // Never wait for a password on a terminal nobody watches.
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_ASKPASS"] = "/bin/false",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        var output = new StringBuilder();
        var error = new StringBuilder();
        // stdin is CliWrap's default empty source: git sees end of input at once.
        var result = await Cli.Wrap(gitPath)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(error, Encoding.UTF8))
            .WithValidation(CommandResultValidation.None)
            .ExecuteWithExactEnvironmentAsync(variables, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return result.ExitCode == 0 ? output.ToString() : throw new GitCommandException(arguments, result.ExitCode, error.ToString());
    }

    /// <summary>Runs git and reports only whether it exited with 0 (for checks like rev-parse --verify).</summary>
    public async Task<bool> SucceedsAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(workingDirectory, arguments, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GitCommandException)
        {
            return false;
        }
    }
}
