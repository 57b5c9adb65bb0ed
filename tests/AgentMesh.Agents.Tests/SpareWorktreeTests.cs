using AgentMesh.Agents.Workspaces;
using AgentMesh.Testing;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

/// <summary>
/// A repository's spare worktree: made ahead at the fetched tip of the base branch, adopted by one job as its own
/// worktree on its branch, made again only when the branch moved, swept after a restart and limited in number.
/// </summary>
public sealed class SpareWorktreeTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-spare");

    public void Dispose() => _temp.Dispose();

    private string Root => _temp.Combine("node-data", "workspaces");

    private WorkspaceManager Manager(int spares = 8) =>
        new(Options.Create(new WorkspaceOptions { Root = Root, MinimumFreeDiskBytes = 1, SpareWorktrees = spares }));

    [Fact]
    public async Task One_job_adopts_the_spare_as_its_worktree_on_its_branch_and_git_knows_it_at_its_new_place()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var tip = await remote.RemoteAsync("rev-parse", "refs/heads/main");
        var manager = Manager();

        var spare = await manager.PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null);
        spare.ShouldNotBeNull();
        spare.Commit.ShouldBe(tip);
        Directory.Exists(spare.Path).ShouldBeTrue();
        manager.TakeSpare("acme/demo").ShouldBe(spare);
        manager.TakeSpare("acme/demo").ShouldBeNull("a spare is taken by one job only");

        var workspace = await manager.AdoptSpareAsync(spare, new WorkspaceRequest("acme/demo", remote.BarePath, "main", 7, "job-7"));

        workspace.Path.ShouldBe(Path.Combine(Root, "worktrees", "acme", "demo", "job-7"));
        workspace.Branch.ShouldBe("agentmesh/issue-7");
        workspace.BaseCommit.ShouldBe(tip);
        workspace.ReusedRemoteBranch.ShouldBeFalse();
        Directory.Exists(spare.Path).ShouldBeFalse("the spare's folder became the job's");
        (await new Git().RunAsync(workspace.Path, ["branch", "--show-current"])).Trim().ShouldBe("agentmesh/issue-7");
        File.ReadAllText(Path.Combine(workspace.Path, "README.md")).ShouldBe("# demo\n");
        (await new Git().RunAsync(workspace.MirrorPath, ["worktree", "list", "--porcelain"])).ShouldContain("worktree " + workspace.Path);

        // The job works in it as in any worktree: commit, push, and removal through git's own records.
        await File.WriteAllTextAsync(Path.Combine(workspace.Path, "fix.txt"), "fixed\n");
        (await manager.CommitLeftoversAsync(workspace, "Fix #7")).ShouldBeTrue();
        await manager.PushAsync(workspace, token: null);
        (await remote.RemoteAsync("log", "--format=%s", "-1", "refs/heads/agentmesh/issue-7")).ShouldBe("Fix #7");
        await manager.RemoveAsync(workspace);
        Directory.Exists(workspace.Path).ShouldBeFalse();
        (await new Git().RunAsync(workspace.MirrorPath, ["worktree", "list", "--porcelain"])).ShouldNotContain(workspace.Path);
    }

    [Fact]
    public async Task Adopting_resets_a_branch_an_earlier_attempt_left_elsewhere_as_git_checkout_B_would()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var first = await remote.RemoteAsync("rev-parse", "refs/heads/main");
        await remote.CommitAsync("CHANGELOG.md", "v2\n", "Second commit");
        await remote.RunAsync("push", "--quiet", "origin", "main");
        var tip = await remote.RemoteAsync("rev-parse", "refs/heads/main");
        var manager = Manager();
        var spare = (await manager.PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null))!;
        var mirror = Path.Combine(Root, "mirrors", "acme", "demo.git");
        // An earlier attempt's branch at the old commit, packed (a loose ref must win over it).
        await new Git().RunAsync(mirror, ["branch", "agentmesh/issue-7", first]);
        await new Git().RunAsync(mirror, ["pack-refs", "--all"]);

        var workspace = await manager.AdoptSpareAsync(spare, new WorkspaceRequest("acme/demo", remote.BarePath, "main", 7, "job-7"));

        var git = new Git();
        (await git.RunAsync(workspace.Path, ["symbolic-ref", "HEAD"])).Trim().ShouldBe("refs/heads/agentmesh/issue-7");
        (await git.RunAsync(workspace.Path, ["rev-parse", "HEAD"])).Trim().ShouldBe(tip, "the branch starts at the spare's commit");
        (await git.RunAsync(mirror, ["rev-parse", "refs/heads/agentmesh/issue-7"])).Trim().ShouldBe(tip);
        (await git.RunAsync(workspace.Path, ["status", "--porcelain"])).ShouldBeEmpty("the files and the index are the commit's");
        File.Exists(Path.Combine(mirror, "refs", "heads", "agentmesh", "issue-7.lock")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_branch_checked_out_in_another_worktree_is_refused_and_nothing_of_the_spare_is_left()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var tip = await remote.RemoteAsync("rev-parse", "refs/heads/main");
        var manager = Manager();
        var spare = (await manager.PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null))!;
        var mirror = Path.Combine(Root, "mirrors", "acme", "demo.git");
        var other = _temp.Combine("other-worktree");
        await new Git().RunAsync(mirror, ["worktree", "add", "--quiet", "-b", "agentmesh/issue-7", other, tip]);
        var request = new WorkspaceRequest("acme/demo", remote.BarePath, "main", 7, "job-7");

        // As git 2.44 and later refuse it in checkout -B (and worktree add always has), whatever git the node has.
        (await Should.ThrowAsync<InvalidOperationException>(() => manager.AdoptSpareAsync(spare, request))).Message.ShouldContain("already checked out");

        Directory.Exists(spare.Path).ShouldBeFalse("a failed adoption leaves no spare behind");
        Directory.Exists(Path.Combine(Root, "worktrees", "acme", "demo", "job-7")).ShouldBeFalse("nor the job's worktree");
        (await new Git().RunAsync(other, ["symbolic-ref", "HEAD"])).Trim().ShouldBe("refs/heads/agentmesh/issue-7", "the other worktree keeps its branch");
    }

    [Fact]
    public async Task The_spare_is_made_again_only_when_the_base_branch_moved_and_the_old_one_goes()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var manager = Manager();
        var first = await manager.PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null);

        (await manager.PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null)).ShouldBe(first, "nothing moved: the same spare stays");

        await remote.CommitAsync("CHANGELOG.md", "v2\n", "Second commit");
        await remote.RunAsync("push", "--quiet", "origin", "main");
        var second = await manager.PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null);

        second.ShouldNotBeNull();
        second.Commit.ShouldBe(await remote.RemoteAsync("rev-parse", "refs/heads/main"));
        second.Path.ShouldNotBe(first!.Path);
        Directory.Exists(first.Path).ShouldBeFalse("the spare at the old commit is removed");
        File.ReadAllText(Path.Combine(second.Path, "CHANGELOG.md")).ShouldBe("v2\n");
        manager.TakeSpare("acme/demo").ShouldBe(second);
    }

    [Fact]
    public async Task Spares_an_earlier_life_of_the_node_left_are_swept_before_its_first_new_spare()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var before = await Manager().PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null);

        var after = await Manager().PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null);

        Directory.Exists(before!.Path).ShouldBeFalse("the spare known only to the earlier process is deleted");
        Directory.Exists(after!.Path).ShouldBeTrue();
        var worktrees = await new Git().RunAsync(Path.Combine(Root, "mirrors", "acme", "demo.git"), ["worktree", "list", "--porcelain"]);
        worktrees.ShouldNotContain(before.Path, customMessage: "git forgot the swept spare");
        worktrees.ShouldContain(after.Path);
    }

    [Fact]
    public async Task A_spare_an_earlier_life_was_killed_while_making_does_not_stop_the_next_lifes_fetch()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var halfMade = await Manager().PrepareSpareAsync("acme/demo", remote.BarePath, "main", token: null);
        HalfMadeWorktree.Make(halfMade!.Path);

        await Manager().FetchAsync("acme/demo", remote.BarePath, token: null);

        Directory.Exists(halfMade.Path).ShouldBeFalse("the half-made spare is swept before the fetch");
    }

    [Fact]
    public async Task Beyond_the_limit_the_oldest_spare_is_removed_and_zero_turns_spares_off()
    {
        var first = await GitRemote.CreateAsync(_temp);
        using var otherTemp = new TempDirectory("agentmesh-spare-other");
        var second = await GitRemote.CreateAsync(otherTemp);
        var manager = Manager(spares: 1);

        var older = await manager.PrepareSpareAsync("acme/first", first.BarePath, "main", token: null);
        var newer = await manager.PrepareSpareAsync("acme/second", second.BarePath, "main", token: null);

        Directory.Exists(older!.Path).ShouldBeFalse("one spare is allowed: the older repository's goes");
        manager.TakeSpare("acme/first").ShouldBeNull();
        manager.TakeSpare("acme/second").ShouldBe(newer);
        (await Manager(spares: 0).PrepareSpareAsync("acme/first", first.BarePath, "main", token: null)).ShouldBeNull();
    }
}
