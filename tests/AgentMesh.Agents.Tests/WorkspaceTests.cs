using System.Text;
using AgentMesh.Agents.Workspaces;
using AgentMesh.Testing;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class WorkspaceTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-ws");

    public void Dispose() => _temp.Dispose();

    private WorkspaceManager Manager(Action<WorkspaceOptions>? configure = null)
    {
        var options = new WorkspaceOptions { Root = _temp.Combine("node-data", "workspaces"), MinimumFreeDiskBytes = 1 };
        configure?.Invoke(options);
        return new WorkspaceManager(Options.Create(options));
    }

    [Fact]
    public async Task A_job_gets_a_worktree_on_its_branch_from_one_bare_repository_that_later_jobs_fetch()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var manager = Manager();

        var first = await manager.PrepareAsync(new WorkspaceRequest("acme/demo", remote.BarePath, "main", 7, "job-1"), token: null);
        first.Branch.ShouldBe("agentmesh/issue-7");
        first.ReusedRemoteBranch.ShouldBeFalse();
        File.ReadAllText(Path.Combine(first.Path, "README.md")).ShouldBe("# demo\n");
        (await new Git().RunAsync(first.Path, ["branch", "--show-current"])).Trim().ShouldBe("agentmesh/issue-7");
        var mirrorMarker = Path.Combine(first.MirrorPath, "agentmesh-marker");
        await File.WriteAllTextAsync(mirrorMarker, "same repository");

        // The remote moves on; the next job fetches into the same bare repository (no new clone).
        await remote.CommitAsync("CHANGELOG.md", "v2\n", "Second commit");
        await remote.RunAsync("push", "--quiet", "origin", "main");
        var second = await manager.PrepareAsync(new WorkspaceRequest("acme/demo", remote.BarePath, "main", 8, "job-2"), token: null);

        second.MirrorPath.ShouldBe(first.MirrorPath);
        File.Exists(mirrorMarker).ShouldBeTrue();
        File.ReadAllText(Path.Combine(second.Path, "CHANGELOG.md")).ShouldBe("v2\n");
        // The first job's worktree is untouched by the second job's fetch.
        File.Exists(Path.Combine(first.Path, "CHANGELOG.md")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_job_worktree_an_earlier_life_was_killed_while_making_is_swept_and_the_job_gets_a_new_one()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var request = new WorkspaceRequest("acme/demo", remote.BarePath, "main", 11, "job-killed");
        var halfMade = await Manager().PrepareAsync(request, token: null);
        var untouched = await Manager().PrepareAsync(new WorkspaceRequest("acme/demo", remote.BarePath, "main", 12, "job-other"), token: null);
        HalfMadeWorktree.Make(halfMade.Path);

        // The next life of the node: its first fetch of the repository sweeps it first.
        var workspace = await Manager().PrepareAsync(request, token: null);

        workspace.Path.ShouldBe(halfMade.Path);
        (await new Git().RunAsync(workspace.Path, ["branch", "--show-current"])).Trim().ShouldBe("agentmesh/issue-11");
        File.ReadAllText(Path.Combine(workspace.Path, "README.md")).ShouldBe("# demo\n");
        Directory.Exists(untouched.Path).ShouldBeTrue("a worktree whose HEAD names a commit is left to its own job");
    }

    [Fact]
    public async Task A_rerun_continues_the_existing_remote_branch()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        await remote.RunAsync("checkout", "--quiet", "-b", "agentmesh/issue-9");
        await remote.CommitAsync("fix.txt", "first attempt\n", "First attempt");
        await remote.RunAsync("push", "--quiet", "origin", "agentmesh/issue-9");
        var tip = await remote.RemoteAsync("rev-parse", "refs/heads/agentmesh/issue-9");

        var workspace = await Manager().PrepareAsync(new WorkspaceRequest("acme/demo", remote.BarePath, "main", 9, "job-rerun"), token: null);

        workspace.ReusedRemoteBranch.ShouldBeTrue();
        workspace.BaseCommit.ShouldBe(tip);
        File.ReadAllText(Path.Combine(workspace.Path, "fix.txt")).ShouldBe("first attempt\n");
    }

    [Fact]
    public async Task Leftovers_are_committed_with_the_configured_author_pushed_and_the_worktree_removed()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var manager = Manager(o => { o.CommitAuthorName = "Mesh Bot"; o.CommitAuthorEmail = "bot@mesh.test"; o.BranchPrefix = "mesh/"; });
        var workspace = await manager.PrepareAsync(new WorkspaceRequest("acme/demo", remote.BarePath, "main", 3, "job-3"), token: null);
        await File.WriteAllTextAsync(Path.Combine(workspace.Path, "new.txt"), "agent output\n");

        (await manager.InspectAsync(workspace)).ShouldBe(new WorkspaceChanges([], ["new.txt"]), new WorkspaceChangesComparer());
        (await manager.CommitLeftoversAsync(workspace, "Agent changes for #3")).ShouldBeTrue();
        (await manager.CommitLeftoversAsync(workspace, "nothing left")).ShouldBeFalse();
        var changes = await manager.InspectAsync(workspace);
        changes.CommitSubjects.ShouldBe(["Agent changes for #3"]);
        changes.UncommittedFiles.ShouldBeEmpty();

        await manager.PushAsync(workspace, token: null);
        (await remote.RemoteAsync("log", "-1", "--format=%an <%ae>|%s", "refs/heads/mesh/3")).ShouldBe("Mesh Bot <bot@mesh.test>|Agent changes for #3");

        await manager.RemoveAsync(workspace);
        Directory.Exists(workspace.Path).ShouldBeFalse();
        (await new Git().RunAsync(workspace.MirrorPath, ["worktree", "list", "--porcelain"])).ShouldNotContain(workspace.Path);
    }

    [Fact]
    public async Task The_push_token_travels_only_in_gits_config_environment()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        // A git wrapper that records its argv and environment, then runs the real git.
        var record = _temp.Combine("git-calls.log");
        var wrapper = FakeAgentScripts.Write(_temp, "git", $"printf 'ARGV %s\\n' \"$*\" >> {record}; env | sed 's/^/ENV /' >> {record}; exec /usr/bin/git \"$@\"");
        var manager = Manager(o => o.GitPath = wrapper);
        const string Token = "ghs_SuperSecretInstallationToken123";
        var workspace = await manager.PrepareAsync(new WorkspaceRequest("acme/demo", remote.BarePath, "main", 5, "job-5"), Token);
        await File.WriteAllTextAsync(Path.Combine(workspace.Path, "x.txt"), "x\n");
        await manager.CommitLeftoversAsync(workspace, "x");

        await manager.PushAsync(workspace, Token);

        var calls = await File.ReadAllLinesAsync(record);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + Token));
        calls.Where(l => l.StartsWith("ARGV ", StringComparison.Ordinal)).ShouldAllBe(l => !l.Contains(Token) && !l.Contains(basic));
        calls.ShouldContain("ARGV push --quiet origin HEAD:refs/heads/agentmesh/issue-5");
        calls.ShouldContain("ENV GIT_CONFIG_COUNT=1");
        calls.ShouldContain("ENV GIT_CONFIG_KEY_0=http.extraHeader");
        calls.ShouldContain($"ENV GIT_CONFIG_VALUE_0=Authorization: Basic {basic}");
        (await File.ReadAllTextAsync(Path.Combine(workspace.MirrorPath, "config"))).ShouldNotContain(Token);
        (await remote.RemoteAsync("log", "-1", "--format=%s", "refs/heads/agentmesh/issue-5")).ShouldBe("x");
    }

    [Fact]
    public async Task A_job_does_not_start_without_the_minimum_free_disk_space()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        var manager = Manager(o => o.MinimumFreeDiskBytes = long.MaxValue);
        var error = await Should.ThrowAsync<InsufficientDiskSpaceException>(
            manager.PrepareAsync(new WorkspaceRequest("acme/demo", remote.BarePath, "main", 1, "job-disk"), token: null));
        error.Message.ShouldContain("Workspaces:MinimumFreeDiskBytes");
        Directory.Exists(_temp.Combine("node-data", "workspaces", "mirrors")).ShouldBeFalse();
    }

    [Fact]
    public async Task Fetch_and_push_over_smart_HTTP_authenticate_with_the_token_from_the_environment()
    {
        var remote = await GitRemote.CreateAsync(_temp);
        const string Token = "ghs_HttpInstallationToken456";
        await using var server = await GitHttpServer.StartAsync(_temp.Path, Token);
        var url = new Uri(server.BaseUrl, "remote.git").ToString();
        var manager = Manager();

        var denied = await Should.ThrowAsync<GitCommandException>(
            manager.PrepareAsync(new WorkspaceRequest("acme/denied", url, "main", 1, "job-denied"), token: "ghs_wrong"));
        denied.Message.ShouldNotContain("ghs_wrong");
        var deniedRequests = server.Requests.Count;
        deniedRequests.ShouldBeGreaterThan(0);

        var workspace = await manager.PrepareAsync(new WorkspaceRequest("acme/demo", url, "main", 11, "job-http"), Token);
        await File.WriteAllTextAsync(Path.Combine(workspace.Path, "http.txt"), "over http\n");
        await manager.CommitLeftoversAsync(workspace, "Pushed over smart HTTP");
        await manager.PushAsync(workspace, Token);

        (await remote.RemoteAsync("log", "-1", "--format=%s", "refs/heads/agentmesh/issue-11")).ShouldBe("Pushed over smart HTTP");
        var requests = server.Requests.ToList();
        requests.Take(deniedRequests).ShouldAllBe(r => !r.Authorized);
        var later = requests.Skip(deniedRequests).ToList();
        later.ShouldAllBe(r => r.Authorized, "with the right token every request is authorised");
        later.ShouldContain(r => r.Request == "POST /remote.git/git-upload-pack", "the fetch went over smart HTTP");
        later.ShouldContain(r => r.Request == "POST /remote.git/git-receive-pack", "the push went over smart HTTP");
        (await File.ReadAllTextAsync(Path.Combine(workspace.MirrorPath, "config"))).ShouldNotContain(Token);
        (await File.ReadAllTextAsync(Path.Combine(workspace.MirrorPath, "config"))).ShouldContain($"url = {url}");
    }

    private sealed class WorkspaceChangesComparer : IEqualityComparer<WorkspaceChanges>
    {
        public bool Equals(WorkspaceChanges? x, WorkspaceChanges? y) =>
            x is not null && y is not null && x.CommitSubjects.SequenceEqual(y.CommitSubjects) && x.UncommittedFiles.SequenceEqual(y.UncommittedFiles);

        public int GetHashCode(WorkspaceChanges obj) => obj.CommitSubjects.Count;
    }
}
