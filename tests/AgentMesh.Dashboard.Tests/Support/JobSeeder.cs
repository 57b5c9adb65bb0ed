using AgentMesh.Core.Jobs;
using AgentMesh.Server.Hosting;
using AgentMesh.Storage;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Dashboard.Tests.Support;

/// <summary>
/// A real SQLite store in a temp folder, with helpers that put jobs where a test needs them, and the
/// feed the pages listen to: every job or log write made through <see cref="Store"/> notifies it.
/// </summary>
internal sealed class JobSeeder : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private JobSeeder(IAgentMeshStore store, SeededJobFeed feed, TempDirectory directory)
    {
        Store = new SeededStore(store, feed);
        Feed = feed;
        _directory = directory;
    }

    public IAgentMeshStore Store { get; }

    public SeededJobFeed Feed { get; }

    public static async Task<JobSeeder> StartAsync()
    {
        var directory = new TempDirectory("agentmesh-dashboard");
        var store = AgentMeshStoreFactory.Create(new StoreOptions { DataDirectory = directory.Path }, TimeProvider.System, NullLoggerFactory.Instance);
        await store.MigrateAsync();
        return new JobSeeder(store, new SeededJobFeed(), directory);
    }

    public async Task<string> EnqueueAsync(string repo, int number, JobState state = JobState.Queued, long tokens = 0, decimal cost = 0m)
    {
        var id = $"job-{repo.Replace('/', '-')}-{number}";
        var actor = new JobActorState
        {
            Id = id,
            Repo = repo,
            Number = number,
            Kind = JobKind.SolveIssue,
            MaxAttempts = 3,
            MaxFixRounds = 3,
            State = state,
            Usage = new JobUsage(UsageTotals.Zero, new UsageTotals(new TokenUsage(tokens, 0, 0, 0), cost)),
        };
        await Store.Jobs.EnqueueAsync(new NewJob(id, repo, $"{repo}#{number}:solve", "solve_issue", Serialize(actor)));
        if (state != JobState.Queued)
        {
            await MoveAsync(id, state);
        }
        return id;
    }

    /// <summary>Moves a job's row to <paramref name="state"/> the way a turn does (one transaction, feed notified).</summary>
    public Task MoveAsync(string id, JobState state) =>
        Store.Jobs.TurnAsync(id, null, record =>
        {
            var actor = Deserialize(record.DataJson) with { State = state };
            return new JobChange(state, Serialize(actor), [new NewEvent("moved_by_test", "{}")], []);
        });

    public Task AppendLogAsync(string id, int count, string prefix = "line") =>
        Store.Logs.AppendAsync(id, [.. Enumerable.Range(1, count).Select(i => new NewLogLine("agent", $"{prefix} {i}"))]);

    private static string Serialize(JobActorState state) => System.Text.Json.JsonSerializer.Serialize(state, AgentMesh.Core.CoreJson.Options);

    private static JobActorState Deserialize(string json) => System.Text.Json.JsonSerializer.Deserialize<JobActorState>(json, AgentMesh.Core.CoreJson.Options)!;

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
