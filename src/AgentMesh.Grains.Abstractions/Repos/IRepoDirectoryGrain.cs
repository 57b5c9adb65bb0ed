namespace AgentMesh.Grains.Abstractions.Repos;

/// <summary>
/// The names of the configured repos (key 0), for lists: grain state cannot be queried, so the
/// repo grains keep this one up to date as they are configured and deleted.
/// </summary>
public interface IRepoDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The configured repos, ordered by name.</summary>
    Task<IReadOnlyList<string>> ListAsync();

    Task AddAsync(string repo);

    Task RemoveAsync(string repo);
}
