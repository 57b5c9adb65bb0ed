using System.Globalization;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Keeps work held for a maintainer's approval where every worker of the fleet can reach it. The held commit gets a
/// ref in this node's bare repository (the quick way back when this node takes the approved job) and a git bundle
/// of it goes to the store (the way back for any other node, whose repository never saw the commit). On approval the
/// commit is taken from the local repository when it is there, else from the bundle, and refused unless it is
/// exactly the commit the maintainer approved.
/// </summary>
public sealed partial class HeldWorkKeeper(IAgentMeshStore store, WorkerOptions options, ILogger<HeldWorkKeeper> logger)
{
    private readonly Git _git = new();

    /// <summary>
    /// Holds <paramref name="commit"/>, the work of <paramref name="run"/>: a ref in the bare repository and a bundle
    /// in the store. Fails the job (<see cref="JobConfigurationException"/>) when the bundle is over
    /// <see cref="WorkerOptions.MaxHeldWorkBytes"/>: a store row is no place for a repository's worth of objects.
    /// </summary>
    public async Task HoldAsync(string jobId, int run, Workspace workspace, string commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var heldRef = HeldRef(jobId);
        // The ref keeps git's garbage collection away from the commit once the job's worktree is gone.
        await _git.RunAsync(workspace.MirrorPath, ["update-ref", heldRef, commit], cancellationToken: cancellationToken).ConfigureAwait(false);
        var file = TemporaryBundlePath();
        try
        {
            // Only the run's own commits: a node restoring the bundle has the base commit from the remote.
            await _git.RunAsync(workspace.MirrorPath, ["bundle", "create", "--quiet", file, heldRef, "^" + workspace.BaseCommit], cancellationToken: cancellationToken).ConfigureAwait(false);
            var size = new FileInfo(file).Length;
            if (size > options.MaxHeldWorkBytes)
            {
                await _git.SucceedsAsync(workspace.MirrorPath, ["update-ref", "-d", heldRef], cancellationToken).ConfigureAwait(false);
                throw new JobConfigurationException(string.Create(CultureInfo.InvariantCulture,
                    $"the work changes protected paths and needs approval, but it is too large to hold for it: its commits take {Megabytes(size)} MB, over the {Megabytes(options.MaxHeldWorkBytes)} MB limit ({WorkerOptions.SectionName}:MaxHeldWorkBytes). Nothing was pushed."));
            }
            var bundle = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            await store.HeldWork.SaveAsync(new NewHeldWorkBundle(jobId, run, commit, bundle), cancellationToken).ConfigureAwait(false);
            LogHeld(logger, jobId, commit, size);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Makes the approved commit present in the workspace's repository: already there when this node held it,
    /// otherwise fetched from the stored bundle. Returns where it came from, for the job log. Refuses
    /// (<see cref="JobConfigurationException"/>) anything but exactly the approved commit.
    /// </summary>
    public async Task<string> RestoreAsync(string jobId, HeldWork held, Workspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(workspace);
        if (await HasCommitAsync(workspace, held.Commit, cancellationToken).ConfigureAwait(false))
        {
            return "this node's copy of the repository";
        }
        var stored = await store.HeldWork.GetAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new JobConfigurationException(
                $"the approved commit {held.Commit} is neither in this node's copy of the repository nor kept in the store; re-run the job.");
        if (!string.Equals(stored.CommitSha, held.Commit, StringComparison.Ordinal) || stored.Run != held.Run)
        {
            throw new JobConfigurationException(
                $"the work kept in the store is commit {stored.CommitSha} of run {stored.Run}, not the approved commit {held.Commit} of run {held.Run}; it was not pushed. Re-run the job.");
        }

        var heldRef = HeldRef(jobId);
        var file = TemporaryBundlePath();
        try
        {
            await File.WriteAllBytesAsync(file, stored.Bundle, cancellationToken).ConfigureAwait(false);
            try
            {
                // Into this node's held ref, so a retry after a failed push finds the commit here.
                await _git.RunAsync(workspace.MirrorPath, ["fetch", "--quiet", "--no-tags", file, $"+{heldRef}:{heldRef}"], cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (GitCommandException ex)
            {
                throw new JobConfigurationException(
                    $"the held work kept in the store could not be read into this node's copy of the repository ({ex.Message.Trim()}); re-run the job.");
            }
        }
        finally
        {
            File.Delete(file);
        }

        // A commit id names its content: the bundle's tip must be the approved commit itself, or nothing is pushed.
        var fetched = (await _git.RunAsync(workspace.MirrorPath, ["rev-parse", "--verify", heldRef + "^{commit}"], cancellationToken: cancellationToken).ConfigureAwait(false)).Trim();
        if (!string.Equals(fetched, held.Commit, StringComparison.Ordinal) || !await HasCommitAsync(workspace, held.Commit, cancellationToken).ConfigureAwait(false))
        {
            await _git.SucceedsAsync(workspace.MirrorPath, ["update-ref", "-d", heldRef], cancellationToken).ConfigureAwait(false);
            throw new JobConfigurationException(
                $"the held work kept in the store holds commit {fetched}, not the approved commit {held.Commit}; it was not pushed. Re-run the job.");
        }
        LogRestored(logger, jobId, held.Commit, stored.Bundle.Length);
        return "the store";
    }

    /// <summary>Forgets the held work once pushed: the ref in this node's repository and the bundle in the store.</summary>
    public async Task ReleaseAsync(string jobId, Workspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        await _git.SucceedsAsync(workspace.MirrorPath, ["update-ref", "-d", HeldRef(jobId)], cancellationToken).ConfigureAwait(false);
        await store.HeldWork.DeleteAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The ref that keeps a job's held commit in a node's bare repository.</summary>
    public static string HeldRef(string jobId) => $"refs/agentmesh/held/{jobId}";

    private Task<bool> HasCommitAsync(Workspace workspace, string commit, CancellationToken cancellationToken) =>
        _git.SucceedsAsync(workspace.Path, ["cat-file", "-e", commit + "^{commit}"], cancellationToken);

    private static string TemporaryBundlePath() => Path.Combine(Path.GetTempPath(), $"agentmesh-held-{Guid.NewGuid():N}.bundle");

    private static string Megabytes(long bytes) => (bytes / (1024d * 1024d)).ToString("0.#", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: held commit {Commit} kept in the store ({Bytes} bytes)")]
    private static partial void LogHeld(ILogger logger, string jobId, string commit, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: approved commit {Commit} restored from the store ({Bytes} bytes)")]
    private static partial void LogRestored(ILogger logger, string jobId, string commit, int bytes);
}
