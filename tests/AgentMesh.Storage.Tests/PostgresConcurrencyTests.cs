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
/// several nodes on one database: exactly-once claims (of jobs, and of one job's outbox items), one winner
/// among concurrent claims of one job, fencing across nodes after a rescue turn, and migration (concurrent,
/// the upgrade of a database with a leased job, of one with outbox items from before they had a job, and of
/// one with repo limits).
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
            // As a worker slot does: read the claimable jobs, try to claim each. The claimers read the same list
            // and race for the same rows; a loser's conditional UPDATE waits for the winner's row lock, then
            // matches nothing.
            var mine = new List<ClaimedJob>();
            while (await store.Jobs.ListClaimableAsync(50) is { Count: > 0 } claimable)
            {
                foreach (var job in claimable)
                {
                    if (await store.Jobs.TryClaimUnlimitedAsync(job.Id, $"node-{n}") is { } claimed)
                    {
                        mine.Add(claimed);
                    }
                }
            }
            return mine;
        })).ToList();
        var claims = (await Eventually.WithinAsync(Task.WhenAll(claimers), "8 claimers claiming every job")).SelectMany(c => c).ToList();

        claims.Count.ShouldBe(Jobs);
        claims.Select(c => c.Job.Id).Distinct().Count().ShouldBe(Jobs);
        claims.ShouldAllBe(c => c.Lease.Fence == 1 && c.Job.Fence == 1 && c.Job.Version == 2 && c.Job.State == JobState.Running);
        (await store.Jobs.ListAsync(new JobQuery(States: [JobState.Running], Limit: 2000))).Count.ShouldBe(Jobs);
        (await store.Jobs.ListAsync(new JobQuery(States: [JobState.Queued], Limit: 2000))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Sixteen_concurrent_claims_of_one_job_from_two_nodes_have_exactly_one_winner_and_raise_the_fence_by_one()
    {
        // What two slots (on two nodes) asking for the same listed job do: both claim it at once. Each round all
        // sixteen are released together; the job goes back alternately as queued and as fixing without owner.
        const int Rounds = 20;
        const int Claimers = 16;
        await using var nodeA = await PostgresTestStore.CreateAsync(_clock);
        await using var nodeB = PostgresTestStore.Open(await ConnectionStringOfAsync(nodeA), _clock);
        await nodeA.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "k1", "solve", "{}"));
        PostgresStore[] nodes = [nodeA, nodeB];

        for (var round = 0; round < Rounds; round++)
        {
            var before = (await nodeA.Jobs.GetAsync("j1")).ShouldNotBeNull();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, Claimers).Select(n => Task.Run(async () =>
            {
                await go.Task;
                return (await nodes[n % 2].Jobs.TryClaimAsync("j1", $"node-{n % 2}/slot-{n}", "octo/app", repoLimit: 1)).Claimed;
            })).ToList();
            go.SetResult();
            var results = await Eventually.WithinAsync(Task.WhenAll(attempts), $"round {round}'s claims");

            var winner = results.Where(c => c is not null).ShouldHaveSingleItem()!;
            winner.Lease.Fence.ShouldBe(before.Fence + 1);
            winner.Job.ShouldBe(before with
            {
                State = before.State == JobState.Queued ? JobState.Running : JobState.Fixing,
                LeaseOwner = winner.Lease.Owner,
                ClaimedAt = _clock.GetUtcNow(),
                Fence = before.Fence + 1,
                Version = before.Version + 1,
                UpdatedAt = _clock.GetUtcNow(),
            });
            (await nodeB.Jobs.GetAsync("j1")).ShouldBe(winner.Job, "the losers wrote nothing");
            (await nodeB.Jobs.HeldCountAsync("octo/app")).ShouldBe(1);

            var back = round % 2 == 0 ? JobState.Fixing : JobState.Queued;
            await nodeA.Jobs.TurnAsync("j1", winner.Lease, j => new JobChange(back, j.DataJson, [], [], ReleaseLease: true));
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var final = (await nodeA.Jobs.GetAsync("j1")).ShouldNotBeNull();
        (final.Fence, final.Version).ShouldBe((2L * Rounds, 1L + (2 * Rounds)), "one claim and one release per round, nothing else");
    }

    [Fact]
    public async Task A_stale_holder_on_another_node_is_refused_after_its_run_was_rescued()
    {
        await using var nodeA = await PostgresTestStore.CreateAsync(_clock);
        await using var nodeB = PostgresTestStore.Open(await ConnectionStringOfAsync(nodeA), _clock);
        await nodeA.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "octo/app#1:solve", "solve", "{}", MaxAttempts: 3));
        var stale = (await nodeA.Jobs.TryClaimUnlimitedAsync("j1", "node-a")).ShouldNotBeNull().Lease;
        (await nodeA.Logs.AppendAsync("j1", [new NewLogLine("stdout", "before")], stale)).ShouldBe(1);

        // node-a dies; the job grain, now on node-b, rescues the run with a turn carrying the run's lease.
        _clock.Advance(TimeSpan.FromMinutes(10));
        var rescued = await nodeB.Jobs.TurnAsync("j1", stale, j =>
            new JobChange(JobState.Queued, j.DataJson, [new NewEvent("run_lost", "{}")], [], Attempt: j.Attempt + 1, ReleaseLease: true));
        rescued.Fence.ShouldBe(2);
        var fresh = (await nodeB.Jobs.TryClaimUnlimitedAsync("j1", "node-b")).ShouldNotBeNull();
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
                "SELECT count(*) FILTER (WHERE tablename = 'jobs'), count(*) FILTER (WHERE tablename IN ('webhook_inbox', 'job_mail', 'repo_limits')) FROM pg_tables WHERE schemaname = 'public'");
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
            // Version 9: no repo limits (checked with the tables above); a repo's held jobs are counted on their own index.
            (await ListAsync<string>(database, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'jobs' AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%key' ORDER BY 1"))
                .ShouldBe(["jobs_claimable", "jobs_held_by_repo", "jobs_newest", "jobs_repo_newest", "jobs_terminal"]);
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
    public async Task Migration_7_turns_a_leased_jobs_expiry_into_a_claim_time_of_null_and_keeps_the_lease_and_the_outbox_lease()
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

        // The lease still counts as the repo's held job and cannot be claimed over, and the run's owner and fence
        // still rescue it with a turn, which gives the claim back.
        await UpgradedClaims.ShouldStillBeRescuedAsync(store, _clock.GetUtcNow());
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
    public async Task Migration_9_drops_repo_limits_keeps_jobs_and_their_claims_and_counts_held_jobs_on_their_own_index()
    {
        // A database at version 8 (the embedded scripts 1-8) holding repo limits with their counters and jobs of two
        // repos: a running job and a fixing job whose runs hold them, a fixing job waiting for a worker, a queued job
        // and a merged one.
        var connectionString = await Testing.Postgres.PostgresServer.Shared.CreateDatabaseAsync();
        var t = _clock.GetUtcNow();
        await using var database = NpgsqlDataSource.Create(connectionString);
        await ExecuteAsync(database, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)");
        foreach (var (version, name, sql) in EmbeddedMigrations().Where(m => m.Version <= 8))
        {
            await ExecuteAsync(database, sql);
            await ExecuteAsync(database, $"INSERT INTO schema_migrations VALUES ({version}, '{name}', now())");
        }
        await ExecuteAsync(database, """
            INSERT INTO repo_limits (repo, max_concurrent, leased) VALUES ('Octo/App', 2, 2), ('octo/other', 0, 0);
            INSERT INTO jobs (id, repo, natural_key, kind, state, priority, run_after, attempt, max_attempts,
                              lease_owner, claimed_at, fence, version, data_json, created_at, updated_at, last_log_seq, last_event_seq) VALUES
                ('running',     'Octo/App',   'k1', 'solve', 'running', 0, @t - interval '9 s', 1, 3, 'node-a/1', @t - interval '8 s', 1, 2, '{"a":1}', @t - interval '9 s', @t - interval '8 s', 3, 1),
                ('fixing-held', 'Octo/App',   'k2', 'solve', 'fixing',  2, @t - interval '7 s', 2, 3, 'node-b/1', NULL,               3, 5, '{"b":2}', @t - interval '9 s', @t - interval '6 s', 0, 4),
                ('fixing-free', 'octo/app',   'k3', 'solve', 'fixing',  1, @t - interval '5 s', 2, 3, NULL,       NULL,               4, 6, '{}',      @t - interval '9 s', @t - interval '5 s', 7, 6),
                ('queued',      'octo/other', 'k4', 'solve', 'queued',  0, @t - interval '4 s', 1, 3, NULL,       NULL,               0, 1, '{}',      @t - interval '4 s', @t - interval '4 s', 0, 0),
                ('merged',      'octo/other', 'k5', 'solve', 'merged',  0, @t - interval '9 s', 1, 3, NULL,       NULL,               2, 4, '{}',      @t - interval '9 s', @t - interval '3 s', 0, 2)
            """, ("t", t));
        const string JobRows = "SELECT row_to_json(j)::text FROM jobs j ORDER BY id";
        var before = await ListAsync<string>(database, JobRows);

        await using var store = PostgresTestStore.Open(connectionString, _clock);
        await store.MigrateAsync();

        (await store.CheckHealthAsync()).ShouldBe(new StoreHealth(true, 9, 9, null));
        (await ListAsync<string>(database, JobRows)).ShouldBe(before, "jobs and their claims are untouched");
        (await ScalarAsync<bool>(database, "SELECT to_regclass('repo_limits') IS NULL")).ShouldBeTrue();
        (await ListAsync<string>(database, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'jobs_held_by_repo'"))
            .ShouldBe(["CREATE INDEX jobs_held_by_repo ON public.jobs USING btree (lower(repo)) WHERE (lease_owner IS NOT NULL)"]);
        // The count (PostgresSql.CountHeldJobs) can use the new index, the list (ListClaimableJobs) jobs_claimable; with
        // five rows the planner would rather scan the table, so that is switched off to see which index matches.
        await using (var connection = await database.OpenConnectionAsync())
        {
            await using (var noSeqScan = new NpgsqlCommand("SET enable_seqscan = off", connection))
            {
                await noSeqScan.ExecuteNonQueryAsync();
            }
            (await ExplainAsync(connection, "SELECT count(*)::int FROM jobs WHERE lower(repo) = lower('octo/app') AND lease_owner IS NOT NULL"))
                .ShouldContain("jobs_held_by_repo");
            (await ExplainAsync(connection, """
                SELECT id FROM jobs WHERE (state = 'queued' OR (state = 'fixing' AND lease_owner IS NULL)) AND run_after <= now()
                 ORDER BY priority DESC, run_after, created_at, id LIMIT 10
                """)).ShouldContain("jobs_claimable");
        }

        // The claims are what they were: counted per repo, not claimable, and their runs' leases still write. The
        // store no longer keeps a counter, so a release and a claim need no repo_limits row.
        await UpgradedClaims.ShouldStillCountAndClaimAsync(store);
        await store.Jobs.EnqueueAsync(new NewJob("new", "brand/new", "k6", "solve", "{}"));
        (await store.Jobs.TryClaimUnlimitedAsync("new", "node-c/2")).ShouldNotBeNull();
        _clock.Advance(TimeSpan.FromDays(1));
        (await store.Jobs.PurgeTerminalAsync(_clock.GetUtcNow())).ShouldBe(1);
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

    /// <summary>PostgreSQL's plan for <paramref name="sql"/>, as text, on <paramref name="connection"/> (whose settings apply).</summary>
    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
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
}
