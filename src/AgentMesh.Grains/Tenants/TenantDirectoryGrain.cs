using AgentMesh.Grains.Abstractions.Tenants;

namespace AgentMesh.Grains.Tenants;

/// <summary>The sorted list of tenants; written only when one is added or removed.</summary>
public sealed class TenantDirectoryGrain(
    [PersistentState("tenants", GrainStorage.Name)] IPersistentState<TenantDirectoryState> directory) : Grain, ITenantDirectoryGrain
{
    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. directory.State.Accounts]);

    public async Task AddAsync(string account)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        var accounts = directory.State.Accounts;
        var index = accounts.BinarySearch(account, StringComparer.Ordinal);
        if (index >= 0)
        {
            return;
        }
        accounts.Insert(~index, account);
        await directory.WriteStateAsync().ConfigureAwait(true);
    }

    public async Task RemoveAsync(string account)
    {
        if (directory.State.Accounts.Remove(account))
        {
            await directory.WriteStateAsync().ConfigureAwait(true);
        }
    }
}

/// <summary>The directory's persisted state.</summary>
public sealed class TenantDirectoryState
{
    public List<string> Accounts { get; set; } = [];
}
