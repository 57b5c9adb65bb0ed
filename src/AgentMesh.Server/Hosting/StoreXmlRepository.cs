using System.Xml.Linq;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AgentMesh.Server.Hosting;

/// <summary>
/// ASP.NET Core Data Protection's key ring in the node's store, so every node of one database shares it
/// (docs/dashboard.md, docs/security.md). Data Protection's repository contract is synchronous: it reads the
/// whole ring when the node starts, when its cached ring expires (about daily) and, shortly after start, when a
/// payload names a key it has not read; it writes when it makes a key (every 90 days). Its cache serves every
/// other request, so blocking on the store here costs a thread a few times a day, not per request.
/// </summary>
public sealed class StoreXmlRepository(IAgentMeshStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.DataProtectionKeys.ReadAllAsync().GetAwaiter().GetResult().Select(e => XElement.Parse(e.Xml))];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.DataProtectionKeys.StoreAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
    }
}
