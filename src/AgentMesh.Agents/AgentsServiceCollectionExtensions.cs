using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Sandbox;
using AgentMesh.Agents.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentMesh.Agents;

/// <summary>Wires the agent runner, workspaces and sandbox into a node.</summary>
public static class AgentsServiceCollectionExtensions
{
    /// <summary>The configuration section holding the node's secrets by name (values never logged).</summary>
    public const string SecretsSectionName = "Secrets";

    /// <summary>
    /// Registers <see cref="AgentRunner"/>, <see cref="WorkspaceManager"/> and <see cref="BubblewrapSandbox"/>, binds
    /// <c>Agents</c> and <c>Workspaces</c> with validation at start, and reads node secrets
    /// from <c>Secrets</c> unless an <see cref="INodeSecrets"/> is registered already.
    /// </summary>
    public static IServiceCollection AddAgentMeshAgents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AgentRunnerOptions>().Bind(configuration.GetSection(AgentRunnerOptions.SectionName)).ValidateOnStart();
        services.AddOptions<WorkspaceOptions>().Bind(configuration.GetSection(WorkspaceOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentRunnerOptions>, AgentRunnerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkspaceOptions>, WorkspaceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INodeSecrets>(_ => new DictionaryNodeSecrets(
            configuration.GetSection(SecretsSectionName).GetChildren()
                .Where(c => c.Value is not null)
                .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal)));
        services.TryAddSingleton(_ => new BubblewrapSandbox());
        services.TryAddSingleton(sp => new AgentRunner(
            sp.GetRequiredService<IOptionsMonitor<AgentRunnerOptions>>(),
            sp.GetRequiredService<INodeSecrets>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<BubblewrapSandbox>()));
        services.TryAddSingleton<WorkspaceManager>();
        return services;
    }
}
