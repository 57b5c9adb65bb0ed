using AgentMesh.Grains.Repos;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>The job index's side of a repo grain's run slots: how many of the repo's jobs hold a claim.</summary>
public sealed class RunClaims(IAgentMeshStore store) : IRunClaims
{
    public Task<int> CountHeldAsync(string repo) => store.Jobs.CountHeldAsync(repo);
}
