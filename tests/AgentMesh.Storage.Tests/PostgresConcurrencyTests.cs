using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using AgentMesh.Testing;
using Npgsql;
using Shouldly;
using Xunit;
using JobLease = AgentMesh.Storage.Abstractions.JobLease;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;

namespace AgentMesh.Storage.Tests;

/// <summary>
/// PostgreSQL-only facts that need real concurrency (pooled connections, several claimers at once) or
/// several nodes on one database: exactly-once claims (of jobs, and of one job's outbox items), the per-repo
/// limit under contention, fencing across nodes after a rescue turn, and migration (concurrent, the upgrade of a
/// database with a leased job, and of one with outbox items from before they had a job).
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
        for (var i = 0; i < Jobs; i++)
        {
            await store.Jobs.EnqueueAsync(new NewJob($"j{i:D4}", $"r/{i % Repos}", $"k{i}", "solve", "{}"));
        }

        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var mine = new List<ClaimedJob>();
            while (await store.Jobs.ClaimNextAsync($"node-{n}") is { } claimed)
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
        // Every claimer got work: a claimer that lost a job to another moves on to the next candidate.
        claimers.ShouldAllBe(c => c.Result.Count > 0);
    }

    [Fact]
    public async Task Sixteen_claimers_of_one_job_at_once_leave_exactly_one_holder_and_one_new_fence()
    {
        await using var store = await PostgresTestStore.CreateAsync(_clock);
        for (var round = 0; round < 20; round++)
        {
            var id = $"j{round:D2}";
            await store.Jobs.EnqueueAsync(new NewJob(id, "octo/app", $"k{round}", "solve", "{}"));

            var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(n => Task.Run(() => store.Jobs.TryClaimAsync(id, $"node-{n}"))));

            var winner = claims.Where(c => c is not null).ShouldHaveSingleItem($"round {round}: exactly one claimer wins")!;
            winner.Lease.Fence.ShouldBe(1);
            (await store.Jobs.GetAsync(id)).ShouldBe(winner.Job);
        }
    }

    [Fact]
    public async Task A_stale_holder_on_another_node_is_refused_after_its_run_was_rescued()
    {
        await using var nodeA = await PostgresTestStore.CreateAsync(_clock);
        await using var nodeB = PostgresTestStore.Open(await ConnectionStringOfAsync(nodeA), _clock);
        await nodeA.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "octo/app#1:solve", "solve", "{}", MaxAttempts: 3));
        var stale = (await nodeA.Jobs.TryClaimAsync("j1", "node-a")).ShouldNotBeNull().Lease;
        (await nodeA.Logs.AppendAsync("j1", [new NewLogLine("stdout", "before")], stale)).ShouldBe(1);

        // node-a dies; the job grain, now on node-b, rescues the run with a turn carrying the run's lease.
        _clock.Advance(TimeSpan.FromMinutes(10));
        var rescued = await nodeB.Jobs.TurnAsync("j1", stale, j =>
            new JobChange(JobState.Queued, j.DataJson, [new NewEvent("run_lost", "{}")], [], Attempt: j.Attempt + 1, ReleaseLease: true));
        rescued.Fence.ShouldBe(2);
        var fresh = (await nodeB.Jobs.TryClaimAsync("j1", "node-b")).ShouldNotBeNull();
        fresh.Lease.Fence.ShouldBe(3);

        // node-a wakes up and keeps writing with its old lease: every write is refused and changes nothing.
        (await Should.ThrowAsync<StaleLeaseException>(() => nodeA.Jobs.TurnAsync("j1", stale, j =>
            new JobChange(JobState.PrOpened, """{"late":true}""", [new NewEvent("late", "{}")], [new NewOutboxItem("github.pr", "late-pr", "{}")])))).Fence.ShouldBe(1);
        await Should.ThrowAsync<StaleLeaseException>(() => nodeA.Logs.AppendAsync("j1", [new NewLogLine("stdout", "late")], stale));
        (await nodeA.Jobs.GetAsync("j1")).ShouldBe(fresh.Job);
        (await nodeA.Outbox.GetByKeyAsync("late-pr")).ShouldBeNull();
        (await nodeA.History.ReadAsync("j1", 0, 10)).Select(e => e.Type).ShouldBe(["run_lost"]);

        // node-b, the holder now, writes fine and continues the log without a gap.
        (await nodeB.Logs.AppendAsync("j1", [new NewLogLine("stdout", "after")], fresh.Lease)).ShouldBe(2);
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
            // Version 7: the jobs' lease column records the claim time; the outbox's own lease stays; the rescuer's index is gone.
            await using var columns = database.CreateCommand("""
                SELECT table_name || '.' || column_name FROM information_schema.columns
                 WHERE table_schema = 'public' AND column_name IN ('lease_expires_at', 'claimed_at') ORDER BY 1
                """);
            await using (var reader = await columns.ExecuteReaderAsync())
            {
                var found = new List<string>();
                while (await reader.ReadAsync())
                {
                    found.Add(reader.GetString(0));
                }
                found.ShouldBe(["jobs.claimed_at", "outbox.lease_expires_at"]);
            }
            await using var index = database.CreateCommand("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'jobs_leased'");
            ((long)(await index.ExecuteScalarAsync())!).ShouldBe(0);
            // Version 8: outbox items belong to a job, and the pending-items index is per job.
            (await ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'outbox' AND column_name = 'job_id'"))
                .ShouldBe(1);
            (await ListAsync<string>(database, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'outbox' AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%key' ORDER BY 1"))
                .ShouldBe(["outbox_job_due"]);
            // Version 9: a repo's run slots are its repo grain's; the store's copy of its limit is gone.
            (await ScalarAsync<long>(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'repo_limits'")).ShouldBe(0);
            (await ScalarAsync<long>(database, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'jobs_repo_held'")).ShouldBe(1);
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
    public async Task Migration_7_turns_a_leased_jobs_expiry_into_a_claim_time_of_null_and_keeps_the_lease_its_repo_slot_and_the_outbox_lease()
    {
        // A database at version 6 (the embedded scripts 1-6, recorded as the migrator records them) holding a
        // running job whose lease has an expiry, its repo's slot taken, and an outbox item claimed by a dispatcher.
        var connectionString = await Testing.Postgres.PostgresServer.Shared.CreateDatabaseAsync();
        var expiry = _clock.GetUtcNow().AddMinutes(5);
        await using var database = NpgsqlDataSource.Create(connectionString);
        await ExecuteAsync(database, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)");
        foreach (var (version, name, sql) in EmbeddedMigrations().Where(m => m.Version <= 6))
        {
            await ExecuteAsync(database, sql);
            await ExecuteAsync(database, $"INSERT INTO schema_migrations VALUES ({version}, '{name}', now())");
        }
        await ExecuteAsync(database, """
            INSERT INTO repo_limits (repo, max_concurrent, leased) VALUES ('octo/app', 1, 1);
            INSERT INTO jobs (id, repo, natural_key, kind, state, priority, run_after, attempt, max_attempts,
                              lease_owner, lease_expires_at, fence, version, data_json, created_at, updated_at)
            VALUES ('j1', 'octo/app', 'k1', 'solve', 'running', 0, @at, 1, 3, 'node-a/1', @expiry, 1, 2, '{}', @at, @at);
            INSERT INTO outbox (kind, idempotency_key, payload_json, due_at, created_at, lease_owner, lease_expires_at)
            VALUES ('github.comment', 'o1', '{}', @at, @at, 'node-a', @expiry);
            """, ("at", _clock.GetUtcNow().AddMinutes(-1)), ("expiry", expiry));

        await using var store = PostgresTestStore.Open(connectionString, _clock);
        await store.MigrateAsync();

        (await store.CheckHealthAsync()).ShouldBe(new StoreHealth(true, 9, 9, null));
        var job = (await store.Jobs.GetAsync("j1")).ShouldNotBeNull();
        (job.State, job.LeaseOwner, job.ClaimedAt, job.Fence).ShouldBe((JobState.Running, "node-a/1", (DateTimeOffset?)null, 1L));
        await using (var outbox = database.CreateCommand("SELECT lease_owner, lease_expires_at FROM outbox"))
        await using (var reader = await outbox.ExecuteReaderAsync())
        {
            (await reader.ReadAsync()).ShouldBeTrue();
            (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)).ShouldBe(("node-a", expiry));
        }

        // The lease still holds the repo's slot, and the run's owner and fence still rescue it with a turn,
        // which gives the slot back.
        (await store.Jobs.CountHeldAsync("octo/app")).ShouldBe(1);
        (await store.Jobs.TryClaimAsync("j1", "node-b/1")).ShouldBeNull();
        var rescued = await store.Jobs.TurnAsync("j1", new JobLease("j1", "node-a/1", 1), j => new JobChange(JobState.Queued, j.DataJson, [], [], ReleaseLease: true));
        (rescued.LeaseOwner, rescued.ClaimedAt, rescued.Fence).ShouldBe(((string?)null, (DateTimeOffset?)null, 2L));
        (await store.Jobs.CountHeldAsync("octo/app")).ShouldBe(0);
        (await store.Jobs.TryClaimAsync("j1", "node-b/1")).ShouldNotBeNull().Job.ClaimedAt.ShouldBe(_clock.GetUtcNow());
    }

    [Fact]
    public async Task Migration_8_gives_each_outbox_item_the_job_named_by_its_key_and_indexes_pending_items_per_job()
    {
        // A database at version 7 (the embedded scripts 1-7) holding outbox items of two jobs (pending, held, done),
        // and items whose keys name no job: an actor's, one with no '/' after the job id, an empty job id, and
        // keys that only look alike ('jobs/', 'JOB/', 'job_').
        var connectionString = await Testing.Postgres.PostgresServer.Shared.CreateDatabaseAsync();
        var now = _clock.GetUtcNow();
        var expiry = now.AddMinutes(5);
        await using var database = NpgsqlDataSource.Create(connectionString);
        await ExecuteAsync(database, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)");
        foreach (var (version, name, sql) in EmbeddedMigrations().Where(m => m.Version <= 7))
        {
            await ExecuteAsync(database, sql);
            await ExecuteAsync(database, $"INSERT INTO schema_migrations VALUES ({version}, '{name}', now())");
        }
        await ExecuteAsync(database, """
            INSERT INTO outbox (kind, idempotency_key, payload_json, due_at, status, created_at, lease_owner, lease_expires_at) VALUES
                ('github.comment', 'job/0197a1b2c3d4/attempt/1/pr', '{}', @now - interval '2 s', 'pending', @now, NULL, NULL),
                ('github.comment', 'job/0197a1b2c3d4/comment/2',    '{}', @now - interval '1 s', 'done',    @now, NULL, NULL),
                ('github.label',   'job/j-2/label/x/y',              '{}', @now - interval '3 s', 'pending', @now, 'node-a', @expiry),
                ('github.comment', 'repo/octo/app/hello',            '{}', @now - interval '9 s', 'pending', @now, NULL, NULL),
                ('github.comment', 'job/no-slash',                   '{}', @now,                  'pending', @now, NULL, NULL),
                ('github.comment', 'job//empty',                     '{}', @now,                  'pending', @now, NULL, NULL),
                ('github.comment', 'jobs/j9/x',                      '{}', @now,                  'pending', @now, NULL, NULL),
                ('github.comment', 'JOB/j9/x',                       '{}', @now,                  'pending', @now, NULL, NULL),
                ('github.comment', 'job_j9/x',                       '{}', @now,                  'dead',    @now, NULL, NULL)
            """, ("now", now), ("expiry", expiry));

        await using var store = PostgresTestStore.Open(connectionString, _clock);
        await store.MigrateAsync();

        (await store.CheckHealthAsync()).ShouldBe(new StoreHealth(true, 9, 9, null));
        (await ListAsync<string>(database, "SELECT idempotency_key || ' -> ' || coalesce(job_id, 'NULL') FROM outbox ORDER BY id")).ShouldBe(OutboxBackfillCases.Expected);
        (await ListAsync<string>(database, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname IN ('outbox_due', 'outbox_job_due')"))
            .ShouldBe(["CREATE INDEX outbox_job_due ON public.outbox USING btree (job_id, due_at, id) WHERE (status = 'pending'::text)"]);

        // The backfilled items are their jobs' effects: listed for the start-up sweep, claimed per job (the held
        // one once its lease runs out), the rest left alone; the other columns are untouched.
        (await store.Outbox.JobsWithPendingEffectsAsync(10)).ShouldBe(["j-2", "0197a1b2c3d4"]);
        (await store.Outbox.NextDueForJobAsync("j-2")).ShouldBe(expiry);
        var pr = (await store.Outbox.ClaimDueForJobAsync("0197a1b2c3d4", "node-b", 10, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem();
        (pr.IdempotencyKey, pr.JobId, pr.Attempts, pr.DueAt).ShouldBe(("job/0197a1b2c3d4/attempt/1/pr", "0197a1b2c3d4", 1, now.AddSeconds(-2)));
        (await store.Outbox.ClaimDueForJobAsync("j-2", "node-b", 10, TimeSpan.FromSeconds(30))).ShouldBeEmpty();
        _clock.Advance(TimeSpan.FromMinutes(5));
        (await store.Outbox.ClaimDueForJobAsync("j-2", "node-b", 10, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem().IdempotencyKey.ShouldBe("job/j-2/label/x/y");
    }

    [Fact]
    public async Task Eight_concurrent_claimers_of_one_jobs_outbox_items_never_get_the_same_item_nor_another_jobs()
    {
        // What two activations of one job's grain could do for a moment (a silo declared dead while still
        // running): claim the same job's items at once. Each item goes to exactly one claimer.
        const int Items = 400;
        await using var store = await PostgresTestStore.CreateAsync(_clock);
        for (var i = 0; i < Items; i++)
        {
            await store.Outbox.EnqueueAsync("j1", new NewOutboxItem("github.comment", $"job/j1/comment/{i:D3}", "{}"));
            if (i % 4 == 0)
            {
                await store.Outbox.EnqueueAsync("j2", new NewOutboxItem("github.comment", $"job/j2/comment/{i:D3}", "{}"));
            }
        }

        var taken = 0;
        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var mine = new List<OutboxItem>();
            // Keep asking until every item is taken: SKIP LOCKED lets a claimer come back empty while another
            // holds the rows it would have taken.
            while (Volatile.Read(ref taken) < Items)
            {
                var claimed = await store.Outbox.ClaimDueForJobAsync("j1", $"node-{n}", 7, TimeSpan.FromMinutes(5));
                mine.AddRange(claimed);
                Interlocked.Add(ref taken, claimed.Count);
            }
            return mine;
        })).ToList();
        var claims = (await Eventually.WithinAsync(Task.WhenAll(claimers), "8 claimers taking every item of j1")).SelectMany(c => c).ToList();

        claims.Count.ShouldBe(Items);
        claims.Select(i => i.Id).Distinct().Count().ShouldBe(Items);
        claims.ShouldAllBe(i => i.JobId == "j1" && i.Attempts == 1);
        (await store.Outbox.ClaimDueForJobAsync("j1", "node-x", 10, TimeSpan.FromMinutes(5))).ShouldBeEmpty();
        var j2 = await store.Outbox.ClaimDueForJobAsync("j2", "node-x", Items, TimeSpan.FromMinutes(5));
        j2.Count.ShouldBe(Items / 4);
        j2.ShouldAllBe(i => i.JobId == "j2" && i.Attempts == 1, "j1's claimers touched none of j2's items");
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

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<T>> ListAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }
        return rows;
    }

    /// <summary>The PostgreSQL migrations embedded in AgentMesh.Storage, as the migrator names them.</summary>
    private static List<(int Version, string Name, string Sql)> EmbeddedMigrations()
    {
        const string Marker = ".Postgres.Migrations.";
        var assembly = typeof(PostgresStore).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.Contains(Marker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..^".sql".Length];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), file[5..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Item1)];
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
