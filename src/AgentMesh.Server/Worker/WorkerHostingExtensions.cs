using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Sandbox;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Server.Hosting;
using AgentMesh.Server.Outbox;
using AgentMesh.Storage;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Wires job execution: agent profiles (section <c>Agents</c>), workspaces (<c>Workspaces</c>),
/// the node's secrets an agent profile may ask for (<c>Secrets</c>), and the worker slots when the
/// node has the worker role. The outbox dispatcher runs on every node.
/// </summary>
public static class WorkerHostingExtensions
{
    public static WebApplicationBuilder AddAgentMeshWorker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        var worker = configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();
        var problems = worker.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
        services.AddSingleton(worker);

        // Everything a node keeps on disk lives under the store's data directory by default.
        var dataDirectory = Path.GetFullPath(configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>()?.DataDirectory ?? ".data");
        services.AddOptions<AgentRunnerOptions>()
            .Bind(configuration.GetSection("Agents"))
            .PostConfigure(o => o.RunsDirectory ??= Path.Combine(dataDirectory, "agent-runs"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentRunnerOptions>, AgentRunnerOptionsValidator>();
        services.AddOptions<WorkspaceOptions>()
            .Bind(configuration.GetSection("Workspaces"))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.Root))
                {
                    o.Root = Path.Combine(dataDirectory, "workspaces");
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkspaceOptions>, WorkspaceOptionsValidator>();
        services.AddSingleton<INodeSecrets>(new DictionaryNodeSecrets(
            configuration.GetSection("Secrets").Get<Dictionary<string, string>>() ?? []));
        services.AddSingleton(new BubblewrapSandbox());
        services.AddSingleton(sp => new AgentRunner(
            sp.GetRequiredService<IOptionsMonitor<AgentRunnerOptions>>(),
            sp.GetRequiredService<INodeSecrets>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<BubblewrapSandbox>()));
        services.AddSingleton(sp => new WorkspaceManager(sp.GetRequiredService<IOptions<WorkspaceOptions>>(), sp.GetRequiredService<ILogger<WorkspaceManager>>()));
        services.AddSingleton(new AgentSessions(Path.Combine(dataDirectory, "agent-sessions")));
        services.AddSingleton<JobEffects>();
        services.AddSingleton<JobExecution>();
        services.AddSingleton<RunningJobs>();

        services.AddHostedService<OutboxDispatcher>();
        var node = configuration.GetSection(NodeOptions.SectionName).Get<NodeOptions>() ?? new NodeOptions();
        if (node.IsWorker)
        {
            services.AddHostedService<WorkerService>();
        }
        return builder;
    }
}
