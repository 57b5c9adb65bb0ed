using System.CommandLine;

namespace AgentMesh.Cli;

/// <summary>The <c>agentmesh</c> root command and its subcommands.</summary>
public static class AgentMeshCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("AgentMesh: turns GitHub issues into pull requests with coding agents.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(ReposCommand.Create());
        return root;
    }

    /// <summary>
    /// How a parsed command line is invoked. <c>serve</c> leaves SIGTERM and Ctrl+C to the node's host: a node's
    /// graceful stop (running agents' <c>Worker:ShutdownGrace</c>, their jobs handed back, the silo leaving the
    /// cluster) takes longer than System.CommandLine's default of two seconds, after which it would answer exit code
    /// 143 and end the process in the middle of the stop. The other commands keep that handling: <c>run</c> reads
    /// Ctrl+C from its cancellation token.
    /// </summary>
    public static InvocationConfiguration InvocationFor(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.CommandResult.Command.Name == ServeCommand.Name
            ? new InvocationConfiguration { ProcessTerminationTimeout = null }
            : new InvocationConfiguration();
    }
}
