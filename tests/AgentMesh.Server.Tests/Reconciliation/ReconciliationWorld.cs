using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.FakeGitHub;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.Actors;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Reconciliation;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AgentMesh.Server.Tests.Reconciliation;

/// <summary>
/// One test's world: a fresh SQLite file with the real job actor, the fake GitHub on loopback with a
/// repository, the bot's token and the node's real <see cref="GitHubClientProvider"/> pointed at it.
/// </summary>
internal sealed class ReconciliationWorld : IAsyncDisposable
{
    public const string Repo = "acme/widgets";
    public const string Bot = "agentmesh-bot";
    private const string Owner = "acme";
    private const string Worker = "test-node/1";

    private readonly TempDirectory _directory;

    private readonly OneSilo _silo;

    private ReconciliationWorld(TempDirectory directory, OneSilo silo, FakeGitHubServer gitHub, SqliteStore store, string botToken, string ownerToken)
    {
        _directory = directory;
        _silo = silo;
        GitHub = gitHub;
        Store = store;
        Jobs = new JobActor(silo.Client, store, TimeProvider.System);
        // No client-side retries: a 5xx the fake injects reaches the reconciler instead of being retried away.
        RestOptions = new GitHubClientOptions { BaseAddress = gitHub.ApiBaseAddress, MaxRetryAttempts = 0 };
        Factory = new GitHubClientFactory(RestOptions, TimeProvider.System);
        Access = new GitHubAccessOptions { Token = botToken, GitBaseAddress = gitHub.WebBaseAddress };
        GitHubClients = new GitHubClientProvider(Factory, Access, RestOptions, TimeProvider.System);
        OwnerOnGitHub = Factory.ForToken(ownerToken);
    }

    public FakeGitHubServer GitHub { get; }

    public IAgentMeshStore Store { get; }

    public JobActor Jobs { get; }

    public GitHubClientOptions RestOptions { get; }

    public GitHubClientFactory Factory { get; }

    public GitHubAccessOptions Access { get; }

    public GitHubClientProvider GitHubClients { get; }

    /// <summary>The repository's owner acting on GitHub, as a person closing an issue or PR would.</summary>
    public GitHubClient OwnerOnGitHub { get; }

    public string TempPath => _directory.Path;

    public static async Task<ReconciliationWorld> StartAsync()
    {
        var directory = new TempDirectory("agentmesh-reconcile");
        var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = directory.Combine("agentmesh.db") }, TimeProvider.System, NullLoggerFactory.Instance);
        await store.MigrateAsync();
        // The job grains decide on one real silo, in this world's store.
        var silo = await OneSilo.StartAsync(() => store, () => TimeProvider.System);
        var gitHub = await FakeGitHubServer.StartAsync();
        gitHub.CreateRepo(Owner, "widgets");
        return new ReconciliationWorld(directory, silo, gitHub, store, gitHub.CreateToken(Bot), gitHub.CreateToken(Owner));
    }

    public JobReconciler NewReconciler(int pageSize = 100) =>
        new(Store, Jobs, GitHubClients, Options.Create(new ReconciliationOptions { PageSize = pageSize }), NullLogger<JobReconciler>.Instance);

    public InvitationAcceptor NewInvitationAcceptor() => new(GitHubClients, Access, NullLogger<InvitationAcceptor>.Instance);

    /// <summary>An issue with a job that opened a pull request for it: the job is pr_opened.</summary>
    public async Task<OpenedJob> PrOpenedJobAsync(string title = "Fix the widget")
    {
        var issue = GitHub.CreateIssue(Repo, title, "It wobbles.", Owner).Number;
        var branch = $"agentmesh/issue-{issue}";
        var pull = GitHub.CreatePullRequest(Repo, branch, "main", title, Bot).Number;
        var (jobId, lease) = await CreateRunningJobAsync(issue);
        await Jobs.SendAsync(jobId, new ReportPrReady("Tightened the screws."), lease);
        var state = await Jobs.SendAsync(jobId, new PrOpened(pull, $"{GitHub.WebBaseAddress}{Repo}/pull/{pull}", branch), lease);
        state.State.ShouldBe(JobState.PrOpened, "the set-up puts the job in pr_opened");
        return new OpenedJob(jobId, issue, pull);
    }

    /// <summary>An issue whose job asked a question and waits for the answer: waiting_for_reply.</summary>
    public async Task<OpenedJob> WaitingForReplyJobAsync()
    {
        var issue = GitHub.CreateIssue(Repo, "Make it blue", "Which blue?", Owner).Number;
        var (jobId, lease) = await CreateRunningJobAsync(issue);
        var state = await Jobs.SendAsync(jobId, new ReportNeedsClarification(["Navy or sky blue?"]), lease);
        state.State.ShouldBe(JobState.WaitingForReply, "the set-up puts the job in waiting_for_reply");
        return new OpenedJob(jobId, issue, PullRequest: null);
    }

    public async Task<JobState> StateOfAsync(string jobId) => (await Jobs.GetAsync(jobId))!.Value.State.State;

    public async Task<JobTransition> LastTransitionOfAsync(string jobId) => (await Jobs.GetAsync(jobId))!.Value.State.History[^1];

    public async Task<IReadOnlyList<string>> EventTypesOfAsync(string jobId) =>
        [.. (await Store.History.ReadAsync(jobId, 0, 100)).Select(e => e.Type)];

    /// <summary>Requests the fake recorded for one API path (no leading slash), e.g. <c>repos/acme/widgets/pulls/2</c>.</summary>
    public int RequestsTo(string method, string path) =>
        GitHub.Requests.Count(r => r.Method == method && r.Path == path);

    public async ValueTask DisposeAsync()
    {
        GitHubClients.Dispose();
        await GitHub.DisposeAsync();
        await _silo.DisposeAsync();
        await Store.DisposeAsync();
        Factory.Dispose();
        _directory.Dispose();
    }

    private async Task<(string JobId, JobLease Lease)> CreateRunningJobAsync(int issue)
    {
        var (record, created) = await Jobs.CreateAsync(Repo, issue, JobKind.SolveIssue, maxFixRounds: 2);
        created.ShouldBeTrue();
        var claim = (await Store.Jobs.TryClaimAsync(record.Id, Worker, record.Repo, repoLimit: 1)).Claimed;
        claim.ShouldNotBeNull("the new job is claimable");
        claim.Job.Id.ShouldBe(record.Id, "the only queued job is the one just created");
        await Jobs.SendAsync(record.Id, new Start(Worker, claim.Lease.Fence), claim.Lease);
        return (record.Id, claim.Lease);
    }
}

/// <summary>A job with its issue and, once opened, its pull request.</summary>
internal sealed record OpenedJob(string Id, int Issue, int? PullRequest)
{
    public int Pull => PullRequest ?? throw new InvalidOperationException($"Job {Id} has no pull request.");
}
