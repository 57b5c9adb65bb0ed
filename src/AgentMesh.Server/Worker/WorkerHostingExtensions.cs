using AgentMesh.Agents;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Grains.Jobs;
using AgentMesh.Grains.Repos;
using AgentMesh.Grains.Workers;
using AgentMesh.Server.Hosting;
using AgentMesh.Server.Outbox;
using AgentMesh.Storage;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Wires job execution: agent profiles (section <c>Agents</c>), workspaces (<c>Workspaces</c>),
/// the node's secrets an agent profile may ask for (<c>Secrets</c>), and the worker slots when the
/// node has the worker role. Every node performs job side effects for the effects grains it hosts.
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
        services.AddAgentMeshAgents(configuration);
        services.PostConfigure<AgentRunnerOptions>(o =>
        {
            o.RunsDirectory ??= Path.Combine(dataDirectory, "agent-runs");
            if (o.Profiles.Count == 0)
            {
                // Out of the box a node runs Claude Code from PATH; any configured profile replaces this one.
                o.Profiles[o.DefaultProfile] = DefaultClaudeProfile(withApiKey: configuration.GetSection("Secrets")["ANTHROPIC_API_KEY"] is not null);
            }
        });
        services.PostConfigure<WorkspaceOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.Root))
            {
                o.Root = Path.Combine(dataDirectory, "workspaces");
            }
        });
        services.AddSingleton(new AgentSessions(Path.Combine(dataDirectory, "agent-sessions")));
        services.AddSingleton<HeldWorkKeeper>();
        services.AddSingleton<JobWorkspaces>();
        services.AddSingleton<JobExecution>();
        services.AddSingleton<RunningJobs>();
        // A repo grain decides its run slots on any silo; slots and `agentmesh run` ask through the claimer.
        services.AddSingleton<RunClaimer>();
        services.AddSingleton<AgentRunHost>();
        services.AddSingleton<IAgentRunHost>(sp => sp.GetRequiredService<AgentRunHost>());

        // A job's side effects are its effects grain's (every silo hosts them); the sweep wakes those pending at start.
        services.AddSingleton<IJobEffectsHost, JobEffectPerformer>();
        services.AddHostedService<PendingEffectsSweep>();
        var node = configuration.GetSection(NodeOptions.SectionName).Get<NodeOptions>() ?? new NodeOptions();
        if (node.IsWorker)
        {
            services.AddHostedService<WorkerService>();
        }
        return builder;
    }

    /// <summary>
    /// The profile used when none is configured: Claude Code from PATH with the tools a coding task
    /// needs, an hour's timeout, and the <c>ANTHROPIC_API_KEY</c> node secret when the node has one
    /// (otherwise Claude Code uses its own login in the agent's home).
    /// </summary>
    public static AgentProfile DefaultClaudeProfile(bool withApiKey)
    {
        var profile = new AgentProfile { Cli = AgentCli.Claude, Timeout = TimeSpan.FromHours(1) };
        foreach (var tool in new[] { "Read", "Write", "Edit", "Glob", "Grep", "Bash" })
        {
            profile.AllowedTools.Add(tool);
        }
        if (withApiKey)
        {
            profile.Secrets.Add("ANTHROPIC_API_KEY");
        }
        return profile;
    }
}
