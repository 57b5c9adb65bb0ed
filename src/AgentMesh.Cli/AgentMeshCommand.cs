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
}
