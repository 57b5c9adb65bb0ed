using System.Diagnostics;
using CliWrap;

namespace AgentMesh.Agents.Processes;

/// <summary>
/// Runs a CliWrap command with exactly the given environment. CliWrap starts every child with the node's own
/// environment and lets a caller only add, override or remove variables by name; an agent or git must get nothing
/// of the node's (its GitHub token, its database connection string) unless it is named. So the variables are set
/// on the start info after CliWrap has built it, starting from an empty environment: no variable the node gains
/// later can slip through, as one missing from a list of names to remove would.
/// </summary>
internal static class ExactEnvironment
{
    /// <summary>Executes <paramref name="command"/> with <paramref name="environment"/> as its complete environment.</summary>
    /// <param name="command">The command; its own environment variables, if any, are discarded.</param>
    /// <param name="environment">The child's complete environment.</param>
    /// <param name="configureProcess">Called with the started process (CliWrap's hook), e.g. to watch its exit.</param>
    /// <param name="cancellationToken">CliWrap's forceful cancellation: kills the process tree and throws.</param>
    public static CommandTask<CommandResult> ExecuteWithExactEnvironmentAsync(
        this Command command,
        IReadOnlyDictionary<string, string> environment,
        Action<Process>? configureProcess = null,
        CancellationToken cancellationToken = default) =>
        command.ExecuteAsync(
            startInfo =>
            {
                startInfo.Environment.Clear();
                foreach (var (name, value) in environment)
                {
                    startInfo.Environment[name] = value;
                }
            },
            configureProcess,
            cancellationToken);
}
