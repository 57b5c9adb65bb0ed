using AgentMesh.Agents.Workspaces;
using AgentMesh.FakeGitHub;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Worker;
using AgentMesh.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.Worker;

/// <summary>
/// A run starts from the default branch as GitHub has it when the run starts: the repository's spare worktree is
/// adopted only when GitHub confirms it is current and the job has no branch to continue; otherwise the mirror is
/// fetched (the fake GitHub, its real git smart-HTTP remote, the node's real workspaces).
/// </summary>
public sealed class JobWorkspacesTests : IAsyncLifetime, IDisposable
{
    private const string Repo = "acme/widgets";
    private readonly TempDirectory _temp = new("agentmesh-job-workspaces");
    private FakeGitHubServer _github = null!;
    private GitHubClientFactory _factory = null!;
    private GitHubClientProvider _provider = null!;
    private WorkspaceManager _workspaces = null!;
    private JobWorkspaces _jobWorkspaces = null!;
    private string _bare = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubServer.StartAsync();
        _github.CreateUser("agentmesh-bot", "Bot");
        var token = _github.CreateToken("agentmesh-bot");
        _bare = _github.CreateRepo("acme", "widgets").GitDirectory;
        _github.AddCollaborator(Repo, "agentmesh-bot", "write");
        GitTool.SeedRepository(_bare, _temp.Combine("seed"));
        var rest = new GitHubClientOptions { BaseAddress = _github.ApiBaseAddress, MaxRetryAttempts = 0 };
        _factory = new GitHubClientFactory(rest, TimeProvider.System);
        _provider = new GitHubClientProvider(_factory, new GitHubAccessOptions { Token = token, GitBaseAddress = _github.WebBaseAddress }, rest, TimeProvider.System);
        _workspaces = new WorkspaceManager(Options.Create(new WorkspaceOptions { Root = _temp.Combine("workspaces"), MinimumFreeDiskBytes = 1 }));
        _jobWorkspaces = new JobWorkspaces(_provider, _workspaces, NullLogger<JobWorkspaces>.Instance);
    }

    public async Task DisposeAsync()
    {
        _provider.Dispose();
        _factory.Dispose();
        await _github.DisposeAsync();
    }

    public void Dispose() => _temp.Dispose();

    private GitHubClient Client => _provider.For();

    private int Fetches => _github.Requests.Count(r => r.Path.EndsWith("git-upload-pack", StringComparison.Ordinal));

    private string SparesFolder => _temp.Combine("workspaces", "spares", "acme", "widgets");

    [Fact]
    public async Task After_a_run_started_the_next_run_adopts_the_spare_without_a_fetch_once_GitHub_confirms_main_has_not_moved()
    {
        var first = await _jobWorkspaces.PrepareAsync(Client, Repo, "job-1", 1, CancellationToken.None);
        first.Workspace.Path.ShouldEndWith("job-1");

        await _jobWorkspaces.PrepareSpareInBackground(Repo, first, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Directory.EnumerateDirectories(SparesFolder).Count().ShouldBe(1, "the spare worktree made after the first run started");
        var fetchesBefore = Fetches;
        var second = await _jobWorkspaces.PrepareAsync(Client, Repo, "job-2", 2, CancellationToken.None);

        Fetches.ShouldBe(fetchesBefore, "the second run started from the spare, without fetching");
        second.Workspace.BaseCommit.ShouldBe(GitTool.Run(_bare, "rev-parse", "refs/heads/main").Trim());
        second.Workspace.Branch.ShouldBe("agentmesh/issue-2");
        second.Workspace.Path.ShouldEndWith("job-2");
        Directory.EnumerateDirectories(SparesFolder).ShouldBeEmpty("the spare became the second run's worktree");
        _github.Requests.Select(r => r.Path).ShouldContain("repos/acme/widgets/git/ref/heads/main");
    }

    [Fact]
    public async Task A_run_fetches_and_starts_from_the_new_tip_when_main_moved_after_the_spare_was_made()
    {
        var spare = (await _workspaces.PrepareSpareAsync(Repo, _github.GitUrl(Repo).AbsoluteUri, "main", await _provider.GetGitTokenAsync())).ShouldNotBeNull();
        var seed = _temp.Combine("seed");
        GitTool.Run(seed, "-c", "user.name=Octo", "-c", "user.email=octo@example.com", "commit", "--quiet", "--allow-empty", "-m", "Moved on");
        GitTool.Run(seed, "push", "--quiet", _bare, "main");
        var tip = GitTool.Run(_bare, "rev-parse", "refs/heads/main").Trim();
        tip.ShouldNotBe(spare.Commit);
        var fetchesBefore = Fetches;

        var prepared = await _jobWorkspaces.PrepareAsync(Client, Repo, "job-3", 3, CancellationToken.None);

        prepared.Workspace.BaseCommit.ShouldBe(tip, "a run never starts from an older base than a fetch gives");
        Fetches.ShouldBeGreaterThan(fetchesBefore);
        Directory.Exists(spare.Path).ShouldBeFalse("the stale spare is gone");
        (await new Git().RunAsync(prepared.Workspace.Path, ["branch", "--show-current"])).Trim().ShouldBe("agentmesh/issue-3");
    }

    [Fact]
    public async Task A_rerun_continues_its_pushed_branch_instead_of_adopting_the_spare()
    {
        var main = GitTool.Run(_bare, "rev-parse", "refs/heads/main").Trim();
        var seed = _temp.Combine("seed");
        GitTool.Run(seed, "checkout", "--quiet", "-b", "agentmesh/issue-4");
        GitTool.Run(seed, "-c", "user.name=Octo", "-c", "user.email=octo@example.com", "commit", "--quiet", "--allow-empty", "-m", "First attempt");
        GitTool.Run(seed, "push", "--quiet", _bare, "agentmesh/issue-4");
        var pushed = GitTool.Run(_bare, "rev-parse", "refs/heads/agentmesh/issue-4").Trim();
        (await _workspaces.PrepareSpareAsync(Repo, _github.GitUrl(Repo).AbsoluteUri, "main", await _provider.GetGitTokenAsync())).ShouldNotBeNull().Commit.ShouldBe(main);

        var prepared = await _jobWorkspaces.PrepareAsync(Client, Repo, "job-4", 4, CancellationToken.None);

        prepared.Workspace.ReusedRemoteBranch.ShouldBeTrue();
        prepared.Workspace.BaseCommit.ShouldBe(pushed);
    }
}
