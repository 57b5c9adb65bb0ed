using Microsoft.Extensions.DependencyInjection;
using AgentMesh.Server.Worker;
using AgentMesh.Grains.Repos;
using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Repos;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Pipeline;
using AgentMesh.Server.Tenants;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Grains;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage.OrleansSql;
using AgentMesh.Testing;
using Orleans.TestingHost;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Server.Tests.Pipeline;

/// <summary>The intake path on a real SQLite file with a fake clock; GitHub's permission answers come from a table.</summary>
internal sealed class IntakeWorld : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("agentmesh-intake");

    private readonly OneSilo _silo;

    private IntakeWorld(GlobalBudgetOptions budgets, OneSilo silo)
    {
        _silo = silo;
        Store = new SqliteStore(new SqliteStoreOptions { DatabasePath = _directory.Combine("agentmesh.db") }, Clock, NullLoggerFactory.Instance);
        Jobs = new JobActor(silo.Client, Store, Clock);
        Tenants = new TenantService(silo.Client, NullLogger<TenantService>.Instance);
        Repos = new RepoActor(silo.Client, Store, new AdmissionPolicy(new AdmissionOptions()), new GlobalBudget(Store, budgets, Clock), Tenants, Clock);
        Budget = new GlobalBudget(Store, budgets, Clock);
        Handler = new WorkIntentHandler(Store, Repos, Jobs, new PullRequestIndex(Store), Permissions, Tenants, Options, NullLogger<WorkIntentHandler>.Instance);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.Zero));

    public SqliteStore Store { get; }

    public JobActor Jobs { get; }

    public RepoActor Repos { get; }

    public GlobalBudget Budget { get; }

    /// <summary>The tenant grains on the same silo, as admission asks them.</summary>
    public TenantService Tenants { get; }

    public WorkIntentHandler Handler { get; }

    public PipelineOptions Options { get; } = new() { BotLogin = "agentmesh[bot]" };

    public TablePermissions Permissions { get; } = new();

    public static async Task<IntakeWorld> StartAsync(GlobalBudgetOptions? budgets = null)
    {
        // The repo and job grains run on one real silo, deciding in this world's store.
        IntakeWorld? world = null;
        var silo = await OneSilo.StartAsync(() => world!.Store, () => world!.Clock);
        world = new IntakeWorld(budgets ?? new GlobalBudgetOptions(), silo);
        await world.Store.MigrateAsync();
        return world;
    }

    public async Task<IReadOnlyList<JobRecord>> JobsAsync() => await Store.Jobs.ListAsync(new JobQuery(Repo: "octo/widgets"));

    public static WorkIntent.StartWork Opened(int number, string author = "alice", params string[] labels) =>
        new("octo/widgets", number, "An issue", new TriggerFacts(TriggerKind.IssueOpened, author, false, labels, null, null, false, 0), null);

    public static WorkIntent.StartWork Mentioned(int number, string author, string body) =>
        new("octo/widgets", number, "An issue", new TriggerFacts(TriggerKind.CommentMention, author, false, [], null, body, false, 0), body);

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}

/// <summary>Who may write to which repo, standing in for GitHub's collaborator permission endpoint.</summary>
internal sealed class TablePermissions : IAuthorPermissions
{
    public HashSet<string> Writers { get; } = new(StringComparer.OrdinalIgnoreCase) { "alice" };

    public List<string> Asked { get; } = [];

    public Task<bool> CanWriteAsync(string repo, string login, CancellationToken cancellationToken = default)
    {
        Asked.Add(login);
        return Task.FromResult(Writers.Contains(login));
    }
}
