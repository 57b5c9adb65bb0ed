using AgentMesh.Grains.Abstractions.Repos;

namespace AgentMesh.Grains.Repos;

/// <summary>The sorted list of configured repos; written only when a repo is added or removed.</summary>
public sealed class RepoDirectoryGrain(
    [PersistentState("repos", GrainStorage.Name)] IPersistentState<RepoDirectoryState> directory) : Grain, IRepoDirectoryGrain
{
    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. directory.State.Repos]);

    public async Task AddAsync(string repo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repo);
        var repos = directory.State.Repos;
        var index = repos.BinarySearch(repo, StringComparer.Ordinal);
        if (index >= 0)
        {
            return;
        }
        repos.Insert(~index, repo);
        await directory.WriteStateAsync().ConfigureAwait(true);
    }

    public async Task RemoveAsync(string repo)
    {
        if (directory.State.Repos.Remove(repo))
        {
            await directory.WriteStateAsync().ConfigureAwait(true);
        }
    }
}

/// <summary>The directory's persisted state.</summary>
public sealed class RepoDirectoryState
{
    public List<string> Repos { get; set; } = [];
}
