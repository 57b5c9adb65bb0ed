using AgentMesh.Core;
using AgentMesh.Core.Jobs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;
using JobLease = AgentMesh.Storage.Abstractions.JobLease;
using NewJob = AgentMesh.Storage.Abstractions.NewJob;

namespace AgentMesh.Storage.Tests.Sqlite;

/// <summary>What only the SQLite backend promises: file, WAL, the single writer, options, migrations on a shared file.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new("agentmesh-sqlite");
    private readonly FakeTimeProvider _clock = new();

    private string DatabasePath => _directory.Combine("agentmesh.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Options_validation_lists_every_problem()
    {
        var options = new SqliteStoreOptions { DatabasePath = " ", BusyTimeout = TimeSpan.Zero };

        options.Validate().ShouldBe(
        [
            "DatabasePath must name the SQLite database file.",
            "BusyTimeout must be greater than 0 and at most 10 minutes (was 00:00:00).",
        ]);
        new SqliteStoreOptions { DatabasePath = "x.db" }.Validate().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(true, 2L)]
    [InlineData(false, 1L)]
    public void Every_connection_commits_with_the_durability_the_options_ask_for(bool fullSync, long synchronous)
    {
        using var database = new SqliteDatabase(new SqliteStoreOptions { DatabasePath = DatabasePath, FullSync = fullSync }, _clock);
        using var connection = database.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous;";

        // 2 is FULL (an fsync per commit), 1 is NORMAL.
        pragma.ExecuteScalar().ShouldBe(synchronous);
        new SqliteStoreOptions().FullSync.ShouldBeTrue("the library's default stays the safest; the node passes Silo:SqliteFullSync");
    }

    [Fact]
    public void Options_default_to_a_5_s_busy_timeout()
    {
        var options = new SqliteStoreOptions();

        options.BusyTimeout.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Constructor_refuses_invalid_options_with_the_problems()
    {
        var error = Should.Throw<InvalidConfigurationException>(() =>
            new SqliteStore(new SqliteStoreOptions(), _clock, NullLoggerFactory.Instance));

        error.Message.ShouldBe("SqliteStoreOptions is invalid: DatabasePath must name the SQLite database file.");
    }

    [Fact]
    public async Task Migrate_puts_the_file_in_WAL_mode_and_records_each_migration_once()
    {
        await using (var store = SqliteTestStores.Open(DatabasePath, _clock))
        {
            await store.MigrateAsync();
            await store.MigrateAsync();
        }

        Query("PRAGMA journal_mode;").ShouldBe(["wal"]);
        SqliteStore.ExpectedSchemaVersion.ShouldBe(9);
        var at = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        Query("SELECT version || ':' || name || ':' || applied_at FROM schema_migrations ORDER BY version;")
            .ShouldBe([$"1:initial:{at}", $"2:held_work:{at}", $"3:usage:{at}", $"4:drop_replaced_tables:{at}", $"5:data_protection_keys:{at}", $"6:drop_job_mail:{at}", $"7:job_claimed_at:{at}", $"8:outbox_job_id:{at}", $"9:drop_repo_limits:{at}"]);
        Query("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%webhook_inbox%' OR name = 'nodes' OR name = 'job_mail';").ShouldBe(["0"]);
        Query("SELECT COUNT(*) FROM pragma_table_info('jobs') WHERE name = 'last_mail_seq';").ShouldBe(["0"]);
        Query("SELECT group_concat(name) FROM pragma_table_info('jobs') WHERE name IN ('lease_expires_at', 'claimed_at');").ShouldBe(["claimed_at"]);
        Query("SELECT COUNT(*) FROM pragma_table_info('outbox') WHERE name = 'lease_expires_at';").ShouldBe(["1"], "the outbox's own lease stays");
        Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_jobs_lease_expiry';").ShouldBe(["0"]);
        // Version 8: outbox items belong to a job, and the pending-items index is per job.
        Query("SELECT COUNT(*) FROM pragma_table_info('outbox') WHERE name = 'job_id';").ShouldBe(["1"]);
        Query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND name LIKE 'ix_%' ORDER BY name;").ShouldBe(["ix_outbox_job_due"]);
        // Version 9: no repo limits; a repo's held jobs are counted on a NOCASE index.
        Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'repo_limits';").ShouldBe(["0"]);
        Query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs' AND name LIKE 'ix_%' ORDER BY name;")
            .ShouldBe(["ix_jobs_claim", "ix_jobs_created", "ix_jobs_repo_created", "ix_jobs_repo_held", "ix_jobs_terminal_updated"]);
    }

    [Fact]
    public async Task Migration_7_turns_a_leased_jobs_expiry_into_a_claim_time_of_null_and_keeps_the_lease_and_the_outbox_lease()
    {
        // A file at version 6 (the embedded scripts 1-6, recorded as the migrator records them) holding a
        // running job whose lease has an expiry, and an outbox item claimed by a dispatcher.
        var expiry = _clock.GetUtcNow().AddMinutes(5).ToUnixTimeMilliseconds();
        using (var raw = OpenRaw())
        {
            Execute(raw, "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);");
            foreach (var (version, name, sql) in EmbeddedMigrations().Where(m => m.Version <= 6))
            {
                Execute(raw, sql);
                Execute(raw, $"INSERT INTO schema_migrations VALUES ({version}, '{name}', 0);");
            }
            Execute(raw, $$"""
                INSERT INTO jobs (id, repo, natural_key, kind, state, priority, run_after, attempt, max_attempts,
                                  lease_owner, lease_expires_at, fence, version, data_json, created_at, updated_at)
                VALUES ('j1', 'octo/app', 'k1', 'solve', 'running', 0, 0, 1, 3, 'node-a/1', {{expiry}}, 1, 2, '{}', 0, 0);
                INSERT INTO outbox (kind, idempotency_key, payload_json, due_at, status, created_at, lease_owner, lease_expires_at)
                VALUES ('github.comment', 'o1', '{}', 0, 'pending', 0, 'node-a', {{expiry}});
                """);
        }

        await using var store = SqliteTestStores.Open(DatabasePath, _clock);
        await store.MigrateAsync();

        (await store.CheckHealthAsync()).ShouldBe(new StoreHealth(true, 9, 9, null));
        var job = (await store.Jobs.GetAsync("j1")).ShouldNotBeNull();
        (job.State, job.LeaseOwner, job.ClaimedAt, job.Fence).ShouldBe((JobState.Running, "node-a/1", (DateTimeOffset?)null, 1L));
        Query("SELECT lease_owner || ':' || lease_expires_at FROM outbox;").ShouldBe([$"node-a:{expiry}"]);
        Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_jobs_lease_expiry';").ShouldBe(["0"]);

        // The lease still counts as the repo's held job and cannot be claimed over, and the run's owner and fence
        // still rescue it with a turn, which gives the claim back.
        await UpgradedClaims.ShouldStillBeRescuedAsync(store, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Migration_8_gives_each_outbox_item_the_job_named_by_its_key_and_indexes_pending_items_per_job()
    {
        // A file at version 7 (the embedded scripts 1-7) holding outbox items of two jobs (pending, held, done),
        // and items whose keys name no job: an actor's, one with no '/' after the job id, an empty job id, and
        // keys that only look alike ('jobs/', 'JOB/', 'job_').
        var expiry = _clock.GetUtcNow().AddMinutes(5).ToUnixTimeMilliseconds();
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        using (var raw = OpenRaw())
        {
            Execute(raw, "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);");
            foreach (var (version, name, sql) in EmbeddedMigrations().Where(m => m.Version <= 7))
            {
                Execute(raw, sql);
                Execute(raw, $"INSERT INTO schema_migrations VALUES ({version}, '{name}', 0);");
            }
            Execute(raw, $$"""
                INSERT INTO outbox (kind, idempotency_key, payload_json, due_at, status, created_at, lease_owner, lease_expires_at) VALUES
                    ('github.comment', 'job/0197a1b2c3d4/attempt/1/pr', '{}', {{now - 2000}}, 'pending', 0, NULL, NULL),
                    ('github.comment', 'job/0197a1b2c3d4/comment/2',    '{}', {{now - 1000}}, 'done',    0, NULL, NULL),
                    ('github.label',   'job/j-2/label/x/y',              '{}', {{now - 3000}}, 'pending', 0, 'node-a', {{expiry}}),
                    ('github.comment', 'repo/octo/app/hello',            '{}', {{now - 9000}}, 'pending', 0, NULL, NULL),
                    ('github.comment', 'job/no-slash',                   '{}', {{now}},        'pending', 0, NULL, NULL),
                    ('github.comment', 'job//empty',                     '{}', {{now}},        'pending', 0, NULL, NULL),
                    ('github.comment', 'jobs/j9/x',                      '{}', {{now}},        'pending', 0, NULL, NULL),
                    ('github.comment', 'JOB/j9/x',                       '{}', {{now}},        'pending', 0, NULL, NULL),
                    ('github.comment', 'job_j9/x',                       '{}', {{now}},        'dead',    0, NULL, NULL);
                """);
        }

        await using var store = SqliteTestStores.Open(DatabasePath, _clock);
        await store.MigrateAsync();

        (await store.CheckHealthAsync()).ShouldBe(new StoreHealth(true, 9, 9, null));
        Query("SELECT idempotency_key || ' -> ' || COALESCE(job_id, 'NULL') FROM outbox ORDER BY id;").ShouldBe(OutboxBackfillCases.Expected);
        Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_outbox_due';").ShouldBe(["0"]);
        Query("SELECT sql FROM sqlite_master WHERE name = 'ix_outbox_job_due';")
            .ShouldBe(["CREATE INDEX ix_outbox_job_due ON outbox (job_id, due_at, id) WHERE status = 'pending'"]);
        // The plan of a job's claim walks the new index.
        QueryPlan("SELECT id FROM outbox WHERE job_id = 'j-2' AND status = 'pending' AND due_at <= 0 ORDER BY due_at, id;")
            .ShouldHaveSingleItem().ShouldContain("ix_outbox_job_due");

        // The backfilled items are their jobs' effects: listed for the start-up sweep, claimed per job (the held
        // one once its lease runs out), the rest left alone; the other columns are untouched.
        (await store.Outbox.JobsWithPendingEffectsAsync(10)).ShouldBe(["j-2", "0197a1b2c3d4"]);
        (await store.Outbox.NextDueForJobAsync("j-2")).ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(expiry));
        var pr = (await store.Outbox.ClaimDueForJobAsync("0197a1b2c3d4", "node-b", 10, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem();
        (pr.IdempotencyKey, pr.JobId, pr.Attempts, pr.DueAt).ShouldBe(("job/0197a1b2c3d4/attempt/1/pr", "0197a1b2c3d4", 1, DateTimeOffset.FromUnixTimeMilliseconds(now - 2000)));
        (await store.Outbox.ClaimDueForJobAsync("j-2", "node-b", 10, TimeSpan.FromSeconds(30))).ShouldBeEmpty();
        _clock.Advance(TimeSpan.FromMinutes(5));
        (await store.Outbox.ClaimDueForJobAsync("j-2", "node-b", 10, TimeSpan.FromSeconds(30))).ShouldHaveSingleItem().IdempotencyKey.ShouldBe("job/j-2/label/x/y");
    }

    [Fact]
    public async Task Migration_9_drops_repo_limits_keeps_jobs_and_their_claims_and_counts_held_jobs_on_a_nocase_index()
    {
        // A file at version 8 (the embedded scripts 1-8) holding repo limits and jobs of two repos: a running job and
        // a fixing job whose runs hold them, a fixing job waiting for a worker, a queued job and a merged one.
        var t = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        using (var raw = OpenRaw())
        {
            Execute(raw, "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);");
            foreach (var (version, name, sql) in EmbeddedMigrations().Where(m => m.Version <= 8))
            {
                Execute(raw, sql);
                Execute(raw, $"INSERT INTO schema_migrations VALUES ({version}, '{name}', 0);");
            }
            Execute(raw, $$"""
                INSERT INTO repo_limits (repo, max_concurrent_jobs) VALUES ('Octo/App', 2), ('octo/other', 0);
                INSERT INTO jobs (id, repo, natural_key, kind, state, priority, run_after, attempt, max_attempts,
                                  lease_owner, claimed_at, fence, version, data_json, created_at, updated_at, last_log_seq, last_event_seq) VALUES
                    ('running',     'Octo/App',   'k1', 'solve', 'running', 0, {{t - 9000}}, 1, 3, 'node-a/1', {{t - 8000}}, 1, 2, '{"a":1}', {{t - 9000}}, {{t - 8000}}, 3, 1),
                    ('fixing-held', 'Octo/App',   'k2', 'solve', 'fixing',  2, {{t - 7000}}, 2, 3, 'node-b/1', NULL,         3, 5, '{"b":2}', {{t - 9000}}, {{t - 6000}}, 0, 4),
                    ('fixing-free', 'octo/app',   'k3', 'solve', 'fixing',  1, {{t - 5000}}, 2, 3, NULL,       NULL,         4, 6, '{}',      {{t - 9000}}, {{t - 5000}}, 7, 6),
                    ('queued',      'octo/other', 'k4', 'solve', 'queued',  0, {{t - 4000}}, 1, 3, NULL,       NULL,         0, 1, '{}',      {{t - 4000}}, {{t - 4000}}, 0, 0),
                    ('merged',      'octo/other', 'k5', 'solve', 'merged',  0, {{t - 9000}}, 1, 3, NULL,       NULL,         2, 4, '{}',      {{t - 9000}}, {{t - 3000}}, 0, 2);
                """);
        }
        const string JobRows = """
            SELECT id || ',' || repo || ',' || natural_key || ',' || kind || ',' || state || ',' || priority || ',' || run_after || ','
                   || attempt || ',' || max_attempts || ',' || COALESCE(lease_owner, '-') || ',' || COALESCE(claimed_at, '-') || ','
                   || fence || ',' || version || ',' || data_json || ',' || created_at || ',' || updated_at || ','
                   || last_log_seq || ',' || last_event_seq
              FROM jobs ORDER BY id;
            """;
        var before = Query(JobRows);

        await using var store = SqliteTestStores.Open(DatabasePath, _clock);
        await store.MigrateAsync();

        (await store.CheckHealthAsync()).ShouldBe(new StoreHealth(true, 9, 9, null));
        Query(JobRows).ShouldBe(before, "jobs and their claims are untouched");
        Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'repo_limits';").ShouldBe(["0"]);
        Query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_jobs_repo_leased';").ShouldBe(["0"]);
        Query("SELECT sql FROM sqlite_master WHERE name = 'ix_jobs_repo_held';")
            .ShouldBe(["CREATE INDEX ix_jobs_repo_held ON jobs (repo COLLATE NOCASE) WHERE lease_owner IS NOT NULL"]);
        // The count (SqliteSql.CountHeldJobs) searches the new index; the list (ListClaimableJobs) walks ix_jobs_claim in order.
        QueryPlan("SELECT COUNT(*) FROM jobs WHERE repo = 'octo/app' COLLATE NOCASE AND lease_owner IS NOT NULL;")
            .ShouldHaveSingleItem().ShouldBe("SEARCH jobs USING INDEX ix_jobs_repo_held (repo=?)");
        QueryPlan("""
            SELECT id FROM jobs WHERE (state = 'queued' OR (state = 'fixing' AND lease_owner IS NULL)) AND run_after <= 0
             ORDER BY priority DESC, run_after, created_at, id LIMIT 10;
            """).ShouldHaveSingleItem().ShouldBe("SCAN jobs USING INDEX ix_jobs_claim");

        // The claims are what they were: counted per repo, not claimable, and their runs' leases still write.
        await UpgradedClaims.ShouldStillCountAndClaimAsync(store);
    }

    [Fact]
    public async Task Two_stores_migrating_one_file_at_once_apply_each_migration_once()
    {
        // Two stores have two writer gates and two connection pools: they meet only at SQLite's file
        // lock, as two processes would.
        await using var first = SqliteTestStores.Open(DatabasePath, _clock);
        await using var second = SqliteTestStores.Open(DatabasePath, _clock);

        await Task.WhenAll(Task.Run(() => first.MigrateAsync()), Task.Run(() => second.MigrateAsync()));

        Query("SELECT COUNT(*) FROM schema_migrations;").ShouldBe(["9"]);
        (await first.CheckHealthAsync()).Ready.ShouldBeTrue();
        (await second.CheckHealthAsync()).Ready.ShouldBeTrue();
    }

    [Fact]
    public async Task Health_of_an_unmigrated_file_is_reachable_at_version_0_and_not_ready()
    {
        await using var store = SqliteTestStores.Open(DatabasePath, _clock);

        var health = await store.CheckHealthAsync();

        health.ShouldBe(new StoreHealth(true, 0, SqliteStore.ExpectedSchemaVersion, null));
        health.Ready.ShouldBeFalse();
    }

    [Fact]
    public async Task Health_of_a_file_that_cannot_be_opened_is_unreachable_with_the_reason()
    {
        await using var store = SqliteTestStores.Open(_directory.Combine("missing-folder", "agentmesh.db"), _clock);

        var health = await store.CheckHealthAsync();

        health.Reachable.ShouldBeFalse();
        health.Ready.ShouldBeFalse();
        health.SchemaVersion.ShouldBe(0);
        health.Error.ShouldNotBeNull().ShouldContain("unable to open database file");
    }

    [Fact]
    public async Task Times_are_stored_as_unix_milliseconds_and_states_as_wire_names()
    {
        await using (var store = await SqliteTestStores.CreateAsync(_directory, _clock))
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1234));
            await store.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "k1", "solve", "{}", RunAfter: _clock.GetUtcNow().AddSeconds(5)));
            await store.Jobs.TurnAsync("j1", null, job => new JobChange(JobState.WaitingForReply, job.DataJson, [], []));
        }

        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        now.ShouldBe(1767268801234);
        Query("SELECT created_at || ',' || updated_at || ',' || run_after || ',' || state FROM jobs;")
            .ShouldBe([$"{now},{now},{now + 5000},waiting_for_reply"]);
    }

    [Fact]
    public async Task A_write_waits_for_another_connection_holding_the_write_lock()
    {
        await using var store = await SqliteTestStores.CreateAsync(_directory, _clock);
        using var other = OpenRaw();
        using var lockHolder = other.BeginTransaction(deferred: false);
        using (var insert = other.CreateCommand())
        {
            insert.Transaction = lockHolder;
            insert.CommandText = "INSERT INTO usage_hourly (repo, hour) VALUES ('held/by-other', 0);";
            insert.ExecuteNonQuery();
        }

        var enqueue = Task.Run(() => store.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "k1", "solve", "{}")));
        // The store's write cannot finish while the other connection holds the lock; it finishes once the lock goes.
        lockHolder.Commit();

        var result = await Eventually.WithinAsync(enqueue, "the enqueue blocked by another connection's write lock");
        result.Created.ShouldBeTrue();
        Query("SELECT repo FROM usage_hourly;").ShouldBe(["held/by-other"]);
    }

    [Fact]
    public async Task A_write_fails_after_the_busy_timeout_when_the_lock_is_never_released()
    {
        await using var store = new SqliteStore(
            new SqliteStoreOptions { DatabasePath = DatabasePath, BusyTimeout = TimeSpan.FromMilliseconds(200) },
            _clock,
            NullLoggerFactory.Instance);
        await store.MigrateAsync();
        using var other = OpenRaw();
        using var lockHolder = other.BeginTransaction(deferred: false);

        var error = await Should.ThrowAsync<SqliteException>(() => Task.Run(() => store.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "k1", "solve", "{}"))));

        error.SqliteErrorCode.ShouldBe(5); // SQLITE_BUSY
        lockHolder.Rollback();
        (await store.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "k1", "solve", "{}"))).Created.ShouldBeTrue();
    }

    [Fact]
    public async Task Two_stores_on_one_file_claiming_at_once_claim_each_job_exactly_once()
    {
        await using var first = await SqliteTestStores.CreateAsync(_directory, _clock);
        await using var second = SqliteTestStores.Open(DatabasePath, _clock);
        for (var i = 0; i < 60; i++)
        {
            await first.Jobs.EnqueueAsync(new NewJob($"j{i}", "octo/app", $"k{i}", "solve", "{}"));
        }

        var claimers = new[] { first, second, first, second }.Select((store, n) => Task.Run(async () =>
        {
            // As a worker slot does: read the claimable jobs, try to claim each; all four race for the same jobs.
            var mine = new List<string>();
            while (await store.Jobs.ListClaimableAsync(10) is { Count: > 0 } claimable)
            {
                foreach (var job in claimable)
                {
                    if (await store.Jobs.TryClaimUnlimitedAsync(job.Id, $"node-{n}") is { } claimed)
                    {
                        mine.Add(claimed.Job.Id);
                    }
                }
            }
            return mine;
        }));
        var all = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        all.Count.ShouldBe(60);
        all.Distinct().Count().ShouldBe(60);
        Query("SELECT COUNT(*) FROM jobs WHERE state = 'running' AND fence = 1;").ShouldBe(["60"]);
    }

    [Fact]
    public async Task A_write_cancelled_before_it_runs_writes_nothing()
    {
        await using var store = await SqliteTestStores.CreateAsync(_directory, _clock);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => store.Jobs.EnqueueAsync(new NewJob("j1", "octo/app", "k1", "solve", "{}"), cancel.Token));

        (await store.Jobs.GetAsync("j1")).ShouldBeNull();
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The SQLite migrations embedded in AgentMesh.Storage, as the migrator names them.</summary>
    private static List<(int Version, string Name, string Sql)> EmbeddedMigrations()
    {
        const string Prefix = "AgentMesh.Storage.Sqlite.Migrations.";
        var assembly = typeof(SqliteStore).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[Prefix.Length..^".sql".Length];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), file[5..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Item1)];
    }

    /// <summary>The details of SQLite's plan for <paramref name="sql"/>.</summary>
    private List<string> QueryPlan(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var details = new List<string>();
        while (reader.Read())
        {
            details.Add(reader.GetString(reader.GetOrdinal("detail")));
        }
        return details;
    }

    private List<string> Query(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        return rows;
    }
}
