namespace AgentMesh.Server.Pipeline;

/// <summary>Whether a GitHub user may write to a repository (asked when a repo has no allowed-users list).</summary>
public interface IAuthorPermissions
{
    Task<bool> CanWriteAsync(string repo, string login, CancellationToken cancellationToken = default);
}
