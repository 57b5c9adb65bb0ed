using AgentMesh.Agents.Workspaces;
using AgentMesh.Core.Jobs;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Worker;

/// <summary>
/// Work held for approval on one node is pushable from another: two nodes with their own bare repositories of one
/// real git remote share a store, as a fleet shares its PostgreSQL.
/// </summary>
public sealed class HeldWorkKeeperTests : IAsyncLifetime
{
    private const string JobId = "job-held-1";
    private const string Repository = "octo/widgets";

    private readonly TempDirectory _directory = new("agentmesh-held");
    private SqliteStore _store = null!;

    private string Origin => _directory.Combine("origin.git");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Origin);
        GitTool.Run(Origin, "init", "--bare", "--quiet", "--initial-branch=main");
        GitTool.SeedRepository(Origin, _directory.Combine("seed"));
        _store = new SqliteStore(new SqliteStoreOptions { DatabasePath = _directory.Combine("agentmesh.db") }, TimeProvider.System, NullLoggerFactory.Instance);
        await _store.MigrateAsync();
        await _store.Jobs.EnqueueAsync(new NewJob(JobId, Repository, $"{Repository}#7:solve", "solve", "{}"));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Work_held_on_one_node_is_restored_from_the_store_on_another_and_released_once_pushed()
    {
        var (nodeA, keeperA) = Node("node-a");
        var (nodeB, keeperB) = Node("node-b");
        var held = await PrepareAsync(nodeA);
        var commit = Commit(held.Path, ".github/workflows/ci.yml", "on: push\n", "Add a CI workflow");

        await keeperA.HoldAsync(JobId, 1, held, commit, CancellationToken.None);

        var elsewhere = await PrepareAsync(nodeB);
        HasCommit(elsewhere, commit).ShouldBeFalse("node B's repository never saw the held commit");
        var from = await keeperB.RestoreAsync(JobId, Approved(commit), elsewhere, CancellationToken.None);
        from.ShouldBe("the store");
        GitTool.Run(elsewhere.Path, "reset", "--quiet", "--hard", commit);
        File.ReadAllText(Path.Combine(elsewhere.Path, ".github", "workflows", "ci.yml")).ShouldBe("on: push\n");
        GitTool.Run(elsewhere.Path, "log", "--format=%s", "-1").Trim().ShouldBe("Add a CI workflow");
        (await keeperA.RestoreAsync(JobId, Approved(commit), held, CancellationToken.None)).ShouldBe("this node's copy of the repository");

        await keeperB.ReleaseAsync(JobId, elsewhere, CancellationToken.None);

        (await _store.HeldWork.GetAsync(JobId)).ShouldBeNull("pushed work is no longer kept");
        GitTool.Run(elsewhere.MirrorPath, "for-each-ref", "refs/agentmesh/").ShouldBeEmpty();
    }

    [Fact]
    public async Task Stored_work_whose_commit_is_not_the_approved_one_is_refused_and_not_kept()
    {
        var (nodeA, keeperA) = Node("node-a");
        var (nodeB, keeperB) = Node("node-b");
        var workspace = await PrepareAsync(nodeA);
        var approved = Commit(workspace.Path, ".github/workflows/ci.yml", "on: push\n", "Add a CI workflow");
        await keeperA.HoldAsync(JobId, 1, workspace, approved, CancellationToken.None);
        // Someone with the store's credentials swaps the bundle for one holding another commit, keeping the row's claim.
        var other = Commit(workspace.Path, ".github/workflows/ci.yml", "on: [push, pull_request]\n", "Run CI on pull requests too");
        var forged = _directory.Combine("forged.bundle");
        GitTool.Run(workspace.MirrorPath, "update-ref", HeldWorkKeeper.HeldRef(JobId), other);
        GitTool.Run(workspace.MirrorPath, "bundle", "create", "--quiet", forged, HeldWorkKeeper.HeldRef(JobId), "^" + workspace.BaseCommit);
        await _store.HeldWork.SaveAsync(new NewHeldWorkBundle(JobId, 1, approved, await File.ReadAllBytesAsync(forged)));
        var elsewhere = await PrepareAsync(nodeB);

        var refused = await Should.ThrowAsync<JobConfigurationException>(() => keeperB.RestoreAsync(JobId, Approved(approved), elsewhere, CancellationToken.None));

        refused.Message.ShouldBe($"the held work kept in the store holds commit {other}, not the approved commit {approved}; it was not pushed. Re-run the job.");
        GitTool.Run(elsewhere.MirrorPath, "for-each-ref", "refs/agentmesh/").ShouldBeEmpty();
    }

    [Fact]
    public async Task Stored_work_of_another_run_is_refused_before_it_is_read()
    {
        var (nodeA, keeperA) = Node("node-a");
        var (nodeB, keeperB) = Node("node-b");
        var workspace = await PrepareAsync(nodeA);
        var commit = Commit(workspace.Path, ".github/workflows/ci.yml", "on: push\n", "Add a CI workflow");
        await keeperA.HoldAsync(JobId, 1, workspace, commit, CancellationToken.None);
        var elsewhere = await PrepareAsync(nodeB);

        var refused = await Should.ThrowAsync<JobConfigurationException>(() => keeperB.RestoreAsync(JobId, Approved(commit) with { Run = 2 }, elsewhere, CancellationToken.None));

        refused.Message.ShouldContain($"not the approved commit {commit} of run 2");
    }

    [Fact]
    public async Task Work_over_the_size_limit_is_not_held_and_fails_with_the_figures()
    {
        var (node, keeper) = Node("node-a", maxHeldWorkBytes: 64);
        var workspace = await PrepareAsync(node);
        var commit = Commit(workspace.Path, ".github/workflows/ci.yml", new string('x', 4096) + "\n", "Add a large workflow");

        var refused = await Should.ThrowAsync<JobConfigurationException>(() => keeper.HoldAsync(JobId, 1, workspace, commit, CancellationToken.None));

        refused.Message.ShouldStartWith("the work changes protected paths and needs approval, but it is too large to hold for it: its commits take ");
        refused.Message.ShouldContain("MB limit (Worker:MaxHeldWorkBytes). Nothing was pushed.");
        (await _store.HeldWork.GetAsync(JobId)).ShouldBeNull();
        GitTool.Run(workspace.MirrorPath, "for-each-ref", "refs/agentmesh/").ShouldBeEmpty();
    }

    private (WorkspaceManager Workspaces, HeldWorkKeeper Keeper) Node(string name, long? maxHeldWorkBytes = null)
    {
        var workspaces = new WorkspaceManager(Options.Create(new WorkspaceOptions { Root = _directory.Combine(name), MinimumFreeDiskBytes = 1 << 20 }));
        var options = new WorkerOptions();
        if (maxHeldWorkBytes is { } max)
        {
            options.MaxHeldWorkBytes = max;
        }
        return (workspaces, new HeldWorkKeeper(_store, options, NullLogger<HeldWorkKeeper>.Instance));
    }

    private Task<Workspace> PrepareAsync(WorkspaceManager workspaces) =>
        workspaces.PrepareAsync(new WorkspaceRequest(Repository, Origin, "main", 7, JobId), token: null);

    private static HeldWork Approved(string commit) =>
        new(1, commit, "Added a CI workflow.", [".github/workflows/ci.yml"], 0, DateTimeOffset.UnixEpoch, ApprovedBy: "octo");

    private static string Commit(string worktree, string file, string content, string message)
    {
        var path = Path.Combine(worktree, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        GitTool.Run(worktree, "add", file);
        GitTool.Run(worktree, "-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "--quiet", "-m", message);
        return GitTool.Run(worktree, "rev-parse", "HEAD").Trim();
    }

    private static bool HasCommit(Workspace workspace, string commit)
    {
        try
        {
            GitTool.Run(workspace.Path, "cat-file", "-e", commit + "^{commit}");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
