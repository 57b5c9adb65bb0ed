using System.CommandLine;

namespace AgentMesh.Cli;

/// <summary>
/// The options every admin command shares, added once to a command group and inherited by its
/// subcommands. There is deliberately no token option: see <see cref="AdminApiClient"/>.
/// </summary>
public sealed class AdminCommandOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"The node's address (default: ${AdminApiClient.ServerVariable}, else {AdminApiClient.DefaultServer}). The admin token is read from ${AdminApiClient.TokenVariable}.",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the server's JSON instead of a table, for scripts.",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Server);
        command.Options.Add(Json);
    }

    /// <summary>
    /// Runs an admin command: builds the client, and turns an <see cref="AdminApiException"/> into
    /// its message on stderr and exit code 1, and Ctrl+C into exit code 130.
    /// </summary>
    public void SetAction(Command command, Func<AdminCommandContext, Task> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(action);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliConsole.UsePlainOutputWhenRedirected();
            try
            {
                using var client = AdminApiClient.FromEnvironment(parseResult.GetValue(Server));
                await action(new AdminCommandContext(parseResult, client, parseResult.GetValue(Json), cancellationToken)).ConfigureAwait(false);
                return 0;
            }
            catch (AdminApiException ex)
            {
                await Console.Error.WriteLineAsync($"agentmesh: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
        });
    }
}

/// <summary>What an admin command's action gets: its parsed arguments, a client, and whether to print JSON.</summary>
public sealed record AdminCommandContext(ParseResult ParseResult, AdminApiClient Client, bool Json, CancellationToken CancellationToken);
