using System.CommandLine;
using AgentMesh.Server;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentMesh.Cli;

/// <summary>
/// <c>agentmesh serve</c>: runs one node. Its roles and store come from a silo-config overlay,
/// <c>AGENTMESH_</c> environment variables and <c>--Section:Key=value</c> arguments. Secrets (the
/// PostgreSQL connection string, tokens) belong in the environment, never on the command line.
/// </summary>
public static class ServeCommand
{
    public const string Name = "serve";

    public static Command Create()
    {
        var silo = new Option<string>("--silo")
        {
            Description = "Role overlay from silo-config/: all-in-one (default), web, worker, or a path to a .json file.",
            DefaultValueFactory = _ => SiloConfiguration.DefaultSilo,
        };
        var dataDirectory = new Option<string?>("--data-dir")
        {
            Description = "Folder for the embedded SQLite store (default ./.data).",
        };
        var urls = new Option<string?>("--urls")
        {
            Description = "Where to listen, e.g. http://127.0.0.1:5080.",
        };

        var command = new Command(Name, "Run an AgentMesh node (web and/or worker roles).")
        {
            silo,
            dataDirectory,
            urls,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var hostArgs = new List<string>(parseResult.UnmatchedTokens);
            if (parseResult.GetValue(dataDirectory) is { } dir)
            {
                hostArgs.Add($"--{StoreOptions.SectionName}:DataDirectory={dir}");
            }
            if (parseResult.GetValue(urls) is { } listen)
            {
                hostArgs.Add($"--urls={listen}");
            }
            return await RunAsync(parseResult.GetValue(silo)!, [.. hostArgs], cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(string silo, string[] hostArgs, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs });
            builder.AddAgentMeshNode(silo);
            app = builder.Build();
            app.MapAgentMeshNode();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OptionsValidationException or FileNotFoundException or InvalidOperationException)
        {
            // A bad setting stops the node with a message that names the key; no stack trace.
            await Console.Error.WriteLineAsync($"agentmesh: cannot start: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var node = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
        var store = app.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
        Console.WriteLine($"AgentMesh node {node.NodeId} ({string.Join(", ", node.RoleList)})");
        Console.WriteLine($"  store:     {store.Describe()}");
        // The bound addresses, not the configured ones: with port 0 the real port is known only now.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? app.Urls;
        Console.WriteLine($"  listening: {string.Join(", ", addresses)}");

        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }
}
