namespace AgentMesh.Grains.Abstractions.Tenants;

/// <summary>
/// The accounts of every tenant (key 0), for lists and for finding a repo's tenant: grain state cannot be
/// queried, so tenant grains add themselves when they are created.
/// </summary>
public interface ITenantDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The tenants' accounts, ordered.</summary>
    Task<IReadOnlyList<string>> ListAsync();

    Task AddAsync(string account);

    Task RemoveAsync(string account);
}
