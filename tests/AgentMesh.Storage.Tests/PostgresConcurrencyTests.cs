using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using AgentMesh.Testing;
using Npgsql;
using Shouldly;
using Xunit;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;

namespace AgentMesh.Storage.Tests;

/// <summary>
/// PostgreSQL-only facts that need real concurrency (pooled connections, several claimers at once) or
/// several nodes on one database: exactly-once claims, the per-repo limit under contention, fencing across
/// nodes after a rescue, and concurrent migration.
/// </summary>
public sealed class PostgresConcurrencyTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Eight_concurrent_claimers_claim_each_of_1000_jobs_exactly_once()
    {
        const int Jobs = 1000;
        const int Repos = 20;
        await using var store = await PostgresTestStore.CreateAsync(_clock);
        for (var r = 0; r < Repos; r++)
        {
            // High limits: the point is the claim itself, not the repo limit serialising claimers.
            await store.Jobs.SetRepoConcurrencyAsync($"r/{r}", Jobs);
        }
        for (var i = 0; i < Jobs; i++)
        {
            await store.Jobs.EnqueueAsync(new NewJob($"j{i:D4}", $"r/{i % Repos}", $"k{i}", "solve", "{}"));
        }

        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var mine = new List<ClaimedJob>();
            while (await store.Jobs.ClaimAsync($"node-{n}", TimeSpan.FromMinutes(5)) is { } claimed)
            {
                mine.Add(claimed);
            }
            return mine;
        })).ToList();
        var claims = (await Task.WhenAll(claimers)).SelectMany(c => c).ToList();

        claims.Count.ShouldBe(Jobs);
        claims.Select(c => c.Job.Id).Distinct().Count().ShouldBe(Jobs);
        claims.ShouldAllBe(c => c.Lease.Fence == 1 && c.Job.State == JobState.Running);
        (await store.Jobs.ListAsync(new JobQuery(States: [JobState.Running], Limit: 2000))).Count.ShouldBe(Jobs);
        (await store.Jobs.ListAsync(new JobQuery(States: [JobState.Queued], Limit: 2000))).ShouldBeEmpty();
        // Every claimer got work: SKIP LOCKED let them run side by side instead of queueing on one row.
        claimers.ShouldAllBe(c => c.Result.Count > 0);
    }

    [Fact]
    public async Task Eight_concurrent_claimers_never_hold_two_jobs_of_a_repo_with_limit_1()
    {
        const int HotJobs = 24;
        await using var store = await PostgresTestStore.CreateAsync(_clock);
        await using var database = NpgsqlDataSource.Create(await ConnectionStringOfAsync(store));
        for (var i = 0; i < HotJobs; i++)
        {
            await store.Jobs.EnqueueAsync(new NewJob($"hot{i:D2}", "hot/repo", $"hot{i}", "solve", "{}"));
            await store.Jobs.EnqueueAsync(new NewJob($"cold{i:D2}", $"cold/{i}", $"cold{i}", "solve", "{}"));
        }

        var holding = 0;
        var maxHolding = 0;
        var maxLeasedInDatabase = 0L;
        var finished = 0;
        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            // Claimers keep asking until every job is done, so whenever a hot job is released several of
            // them race for the next one: exactly the moment a limit check that ignores concurrent
            // claims would let two through.
            while (Volatile.Read(ref finished) < 2 * HotJobs)
            {
                if (await store.Jobs.ClaimAsync($"node-{n}", TimeSpan.FromMinutes(5)) is not { } claimed)
                {
                    continue;
                }
                if (claimed.Job.Repo == "hot/repo")
                {
                    // Between this claim's commit and the release's commit nobody else may hold a hot job:
                    // the in-process count and the database's count must both say exactly one.
                    var now = Interlocked.Increment(ref holding);
                    InterlockedMax(ref maxHolding, now);
                    await using var count = database.CreateCommand(
                        "SELECT count(*) FROM jobs WHERE repo = 'hot/repo' AND lease_owner IS NOT NULL");
                    var leased = (long)(await count.ExecuteScalarAsync())!;
                    InterlockedMax(ref maxLeasedInDatabase, leased);
                    Interlocked.Decrement(ref holding);
                }
                await store.Jobs.TurnAsync(claimed.Job.Id, claimed.Lease, j => new JobChange(JobState.Merged, j.DataJson, [], [], ReleaseLease: true));
                Interlocked.Increment(ref finished);
            }
        })).ToList();
        await Eventually.WithinAsync(Task.WhenAll(claimers), "8 claimers finishing every job");

        finished.ShouldBe(2 * HotJobs);
        maxHolding.ShouldBe(1);
        maxLeasedInDatabase.ShouldBe(1);
        (await store.Jobs.ListAsync(new JobQuery(States: [JobState.Merged], Limit: 100))).Count.ShouldBe(2 * HotJobs);
        await using var slots = database.CreateCommand("SELECT coalesce(sum(leased), -1) FROM repo_limits");
        ((long)(await slots.ExecuteScalarAsync())!).ShouldBe(0, "every release gave its repo slot back");
    }

    [Fact]
    public async Task A_stale_holder_on_another_node_is_refused_after_its_lease_was_rescued()
    {
        await using var nodeA = await PostgresTestStore.CreateAsync(_clock);
        await using var nodeB = PostgresTestStore.Open(await ConnectionStringOfAsync(nodeA), _clock);
        await nodeA.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "octo/app#1:solve", "solve", "{}", MaxAttempts: 3));
        var stale = (await nodeA.Jobs.ClaimAsync("node-a", TimeSpan.FromMinutes(1))).ShouldNotBeNull().Lease;
        (await nodeA.Logs.AppendAsync("j1", [new NewLogLine("stdout", "before")], stale)).ShouldBe(1);

        // node-a stops heartbeating; its lease runs out and node-b's rescuer takes the job back.
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1));
        var rescued = (await nodeB.Jobs.RescueExpiredLeasesAsync(_ => TimeSpan.Zero)).ShouldHaveSingleItem();
        rescued.Fence.ShouldBe(2);
        var fresh = (await nodeB.Jobs.ClaimAsync("node-b", TimeSpan.FromMinutes(1))).ShouldNotBeNull();
        fresh.Lease.Fence.ShouldBe(3);

        // node-a wakes up and keeps writing with its old lease: every write is refused and changes nothing.
        (await Should.ThrowAsync<StaleLeaseException>(() => nodeA.Jobs.RenewLeaseAsync(stale, TimeSpan.FromMinutes(1)))).Fence.ShouldBe(1);
        await Should.ThrowAsync<StaleLeaseException>(() => nodeA.Jobs.TurnAsync("j1", stale, j =>
            new JobChange(JobState.PrOpened, """{"late":true}""", [new NewEvent("late", "{}")], [new NewOutboxItem("github.pr", "late-pr", "{}")])));
        await Should.ThrowAsync<StaleLeaseException>(() => nodeA.Logs.AppendAsync("j1", [new NewLogLine("stdout", "late")], stale));
        (await nodeA.Jobs.GetAsync("j1")).ShouldBe(fresh.Job);
        (await nodeA.Outbox.GetByKeyAsync("late-pr")).ShouldBeNull();
        (await nodeA.History.ReadAsync("j1", 0, 10)).Select(e => e.Type).ShouldBe(["lease_expired"]);

        // node-b, the holder now, writes fine and continues the log without a gap.
        (await nodeB.Logs.AppendAsync("j1", [new NewLogLine("stdout", "after")], fresh.Lease)).ShouldBe(2);
        var renewed = await nodeB.Jobs.RenewLeaseAsync(fresh.Lease, TimeSpan.FromMinutes(2));
        renewed.ExpiresAt.ShouldBe(_clock.GetUtcNow().AddMinutes(2));
        var done = await nodeB.Jobs.TurnAsync("j1", fresh.Lease, j => new JobChange(JobState.PrOpened, """{"pr":1}""", [], []));
        done.State.ShouldBe(JobState.PrOpened);
        done.DataJson.ShouldBe("""{"pr":1}""");
        (await nodeB.Logs.ReadAsync("j1", 0, 10)).Select(l => l.Text).ShouldBe(["before", "after"]);
    }

    [Fact]
    public async Task Four_stores_migrating_one_fresh_database_at_once_all_succeed_with_one_set_of_tables()
    {
        var connectionString = await Testing.Postgres.PostgresServer.Shared.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => PostgresTestStore.Open(connectionString, _clock)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));

            foreach (var store in stores)
            {
                var health = await store.CheckHealthAsync();
                health.Ready.ShouldBeTrue();
                health.SchemaVersion.ShouldBe(health.ExpectedSchemaVersion);
            }
            await using var database = NpgsqlDataSource.Create(connectionString);
            await using var applied = database.CreateCommand("SELECT count(*), count(DISTINCT version), max(version) FROM schema_migrations");
            await using (var reader = await applied.ExecuteReaderAsync())
            {
                (await reader.ReadAsync()).ShouldBeTrue();
                var expected = (await stores[0].CheckHealthAsync()).ExpectedSchemaVersion;
                // Each migration once; numbers may have gaps (branches number theirs apart).
                (reader.GetInt64(0), reader.GetInt32(2)).ShouldBe((reader.GetInt64(1), expected));
            }
            await using var tables = database.CreateCommand(
                "SELECT count(*) FILTER (WHERE tablename = 'jobs'), count(*) FILTER (WHERE tablename IN ('webhook_inbox', 'job_mail')) FROM pg_tables WHERE schemaname = 'public'");
            await using (var reader = await tables.ExecuteReaderAsync())
            {
                (await reader.ReadAsync()).ShouldBeTrue();
                (reader.GetInt64(0), reader.GetInt64(1)).ShouldBe((1L, 0L));
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Health_reports_an_unmigrated_database_as_not_ready_and_an_unreachable_one_with_its_error()
    {
        await using var fresh = PostgresTestStore.Open(await Testing.Postgres.PostgresServer.Shared.CreateDatabaseAsync(), _clock);
        var before = await fresh.CheckHealthAsync();
        before.ShouldBe(new StoreHealth(true, 0, before.ExpectedSchemaVersion, null));
        before.Ready.ShouldBeFalse();

        var missing = new NpgsqlConnectionStringBuilder(await Testing.Postgres.PostgresServer.Shared.CreateDatabaseAsync()) { Database = "no_such_database" };
        await using var unreachable = PostgresTestStore.Open(missing.ConnectionString, _clock);
        var health = await unreachable.CheckHealthAsync();
        health.Reachable.ShouldBeFalse();
        health.Error.ShouldNotBeNull().ShouldContain("no_such_database");
    }

    [Fact]
    public void Options_validation_names_every_problem()
    {
        var options = new PostgresStoreOptions { ConnectionString = " " };

        options.Validate().ShouldBe(["ConnectionString is required."]);
        new PostgresStoreOptions { ConnectionString = "Host=x" }.Validate().ShouldBeEmpty();
        Should.Throw<Core.InvalidConfigurationException>(() => new PostgresStore(options, _clock, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
    }

    internal static Task<string> ConnectionStringOfAsync(PostgresStore store) => Task.FromResult(PostgresTestStore.ConnectionStringOf(store));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
