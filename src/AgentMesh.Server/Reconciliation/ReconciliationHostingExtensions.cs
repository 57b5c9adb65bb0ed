using AgentMesh.Server.Reconciliation;
using Microsoft.Extensions.Options;

// In the node's namespace so AddAgentMeshNode wires it with one call and no extra using.
namespace AgentMesh.Server;

/// <summary>Wires reconciliation (section <c>Reconciliation</c>): job catch-up and, in token mode, invitations.</summary>
public static class ReconciliationHostingExtensions
{
    /// <summary>
    /// Registers the reconciliation service on every node. Needs the job actor and the GitHub access
    /// that <c>AddAgentMeshPipeline</c> registers.
    /// </summary>
    public static WebApplicationBuilder AddAgentMeshReconciliation(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ReconciliationOptions>().Bind(builder.Configuration.GetSection(ReconciliationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReconciliationOptions>, ReconciliationOptionsValidator>();
        services.AddSingleton<JobReconciler>();
        services.AddSingleton<InvitationAcceptor>();
        services.AddHostedService<ReconciliationService>();
        return builder;
    }
}
