using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace AgentMesh.Server.Hosting;

/// <summary>Data Protection (the dashboard's sign-in cookie, GitHub sign-in's correlation cookie, antiforgery) over the store's key ring.</summary>
public static class DataProtectionHostingExtensions
{
    /// <summary>The application name every node shares, so their protectors derive the same purposes from one ring.</summary>
    public const string ApplicationName = "AgentMesh";

    /// <summary>
    /// Keeps the key ring in <see cref="IAgentMeshStore.DataProtectionKeys"/> (not the host's default folder), so a
    /// cookie one node made is read by every node of the same database. Keys are not encrypted at rest: whoever
    /// reads the database can make a sign-in cookie (docs/security.md).
    /// </summary>
    public static IServiceCollection AddStoreDataProtection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddDataProtection().SetApplicationName(ApplicationName);
        // The store is a singleton built from options; the repository resolves it when Data Protection first needs keys.
        services.AddOptions<KeyManagementOptions>().Configure<IAgentMeshStore>((options, store) => options.XmlRepository = new StoreXmlRepository(store));
        return services;
    }
}
