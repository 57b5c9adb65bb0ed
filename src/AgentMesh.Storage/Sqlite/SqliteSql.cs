namespace AgentMesh.Storage.Sqlite;

/// <summary>
/// Every SQL statement of the SQLite backend (the schema itself is in Migrations/*.sql). Writes run
/// inside a <c>BEGIN IMMEDIATE</c> transaction taken by the single in-process writer, so a read
/// followed by a write in one method sees no interleaving write.
/// </summary>
internal static class SqliteSql
{
    // ---- migrations ----

    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER NOT NULL PRIMARY KEY,
            name        TEXT    NOT NULL,
            applied_at  INTEGER NOT NULL
        );
        """;

    public const string SelectAppliedVersions = "SELECT version FROM schema_migrations ORDER BY version;";

    public const string InsertMigration = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now);";

    public const string MigrationsTableExists = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";

    public const string SelectSchemaVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";

    // ---- actors ----

    private const string ActorColumns = "actor_type, actor_key, version, state_json, updated_at";

    public const string SelectActor = $"SELECT {ActorColumns} FROM actors WHERE actor_type = @type AND actor_key = @key;";

    public const string ListActors = $"SELECT {ActorColumns} FROM actors WHERE actor_type = @type ORDER BY actor_key;";

    public const string UpsertActor = $"""
        INSERT INTO actors (actor_type, actor_key, version, state_json, updated_at)
        VALUES (@type, @key, 1, @state, @now)
        ON CONFLICT (actor_type, actor_key) DO UPDATE
            SET version = version + 1, state_json = excluded.state_json, updated_at = excluded.updated_at
            WHERE version = @expectedVersion
        RETURNING {ActorColumns};
        """;

    public const string DeleteActor = "DELETE FROM actors WHERE actor_type = @type AND actor_key = @key;";

    public const string DeleteActorEvents = "DELETE FROM actor_events WHERE actor_type = @type AND actor_key = @key;";

    public const string LastActorEventSequence = "SELECT COALESCE(MAX(seq), 0) FROM actor_events WHERE actor_type = @type AND actor_key = @key;";

    public const string InsertActorEvent = """
        INSERT INTO actor_events (actor_type, actor_key, seq, type, data_json, at)
        VALUES (@type, @key, @seq, @eventType, @data, @now);
        """;

    public const string ReadActorEvents = """
        SELECT actor_type, actor_key, seq, type, data_json, at FROM actor_events
        WHERE actor_type = @type AND actor_key = @key AND seq > @after
        ORDER BY seq LIMIT @limit;
        """;

    // ---- jobs ----

    public const string JobColumns =
        "id, repo, natural_key, kind, state, priority, run_after, attempt, max_attempts, lease_owner, claimed_at, fence, version, data_json, created_at, updated_at";

    public const string InsertJob = $"""
        INSERT INTO jobs (id, repo, natural_key, kind, state, priority, run_after, attempt, max_attempts,
                          lease_owner, claimed_at, fence, version, data_json, created_at, updated_at)
        VALUES (@id, @repo, @naturalKey, @kind, 'queued', @priority, @runAfter, 1, @maxAttempts,
                NULL, NULL, 0, 1, @data, @now, @now)
        ON CONFLICT (natural_key) DO NOTHING
        RETURNING {JobColumns};
        """;

    public const string SelectJob = $"SELECT {JobColumns} FROM jobs WHERE id = @id;";

    public const string SelectJobByNaturalKey = $"SELECT {JobColumns} FROM jobs WHERE natural_key = @naturalKey;";

    /// <summary>Filters are appended by <see cref="ListJobs"/>.</summary>
    private const string ListJobsPrefix = $"SELECT {JobColumns} FROM jobs WHERE 1 = 1";

    public static string ListJobs(bool byRepo, int stateCount)
    {
        var sql = ListJobsPrefix;
        if (byRepo)
        {
            // GitHub's repository names ignore letter case (and are ASCII, all NOCASE folds).
            sql += " AND repo = @repo COLLATE NOCASE";
        }
        if (stateCount > 0)
        {
            sql += " AND state IN (" + string.Join(", ", Enumerable.Range(0, stateCount).Select(i => $"@state{i}")) + ")";
        }
        return sql + " ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset;";
    }

    /// <summary>What a worker may claim now; the first term is ix_jobs_claim's WHERE, word for word, so SQLite uses that index.</summary>
    private const string Claimable = "(state = 'queued' OR (state = 'fixing' AND lease_owner IS NULL)) AND run_after <= @now";

    /// <summary>The claimable jobs, best first: a walk of the partial index ix_jobs_claim (migration 1) in its order.</summary>
    public const string ListClaimableJobs = $"""
        SELECT {JobColumns} FROM jobs
         WHERE {Claimable}
         ORDER BY priority DESC, run_after, created_at, id
         LIMIT @limit;
        """;

    /// <summary>
    /// The claim of one named job within its repo's run slots: one conditional UPDATE on the primary key that also
    /// counts the repo's jobs holding a claim (the repo matched as ListJobs matches it, NOCASE: a search of
    /// ix_jobs_repo_held, migration 9), under the single writer (so no other claim or turn interleaves; the
    /// condition still states when a claim applies).
    /// </summary>
    public const string TryClaimJob = $"""
        UPDATE jobs
           SET state = CASE state WHEN 'queued' THEN 'running' ELSE state END,
               lease_owner = @owner,
               claimed_at = @now,
               fence = fence + 1,
               version = version + 1,
               updated_at = @now
         WHERE id = @id AND {Claimable} AND ({CountHeldJobs}) < @repoLimit
        RETURNING {JobColumns};
        """;

    /// <summary>
    /// Whether a refused claim's repo was full: read in the claim's own write, so it sees what the claim saw. (One
    /// more statement only when a claim is refused, and in the process: SQLite has no round trip to save.)
    /// </summary>
    public const string RepoFull = $"SELECT ({CountHeldJobs}) >= @repoLimit;";

    /// <summary>Jobs of a repo holding a claim, the repo matched as ListJobs matches it (NOCASE): a search of ix_jobs_repo_held (migration 9).</summary>
    private const string CountHeldJobs = "SELECT COUNT(*) FROM jobs WHERE repo = @repo COLLATE NOCASE AND lease_owner IS NOT NULL";

    /// <summary>The turn's compare-and-set: applies only if state and version are still as read.</summary>
    public const string ApplyJobChange = $"""
        UPDATE jobs
           SET state = @state,
               data_json = @data,
               run_after = COALESCE(@runAfter, run_after),
               attempt = COALESCE(@attempt, attempt),
               lease_owner = CASE WHEN @release THEN NULL ELSE lease_owner END,
               claimed_at = CASE WHEN @release THEN NULL ELSE claimed_at END,
               fence = CASE WHEN @release THEN fence + 1 ELSE fence END,
               version = version + 1,
               updated_at = @now
         WHERE id = @id AND state = @expectedState AND version = @expectedVersion
        RETURNING {JobColumns};
        """;

    public const string PurgeTerminalJobs = """
        DELETE FROM jobs WHERE state IN ('merged', 'failed', 'stopped', 'closed') AND updated_at < @cutoff;
        """;

    // ---- per-job sequences (logs, events, mail) ----

    public const string SelectJobSequences = "SELECT lease_owner, fence, last_log_seq, last_event_seq FROM jobs WHERE id = @id;";

    public const string SetLastLogSequence = "UPDATE jobs SET last_log_seq = @seq WHERE id = @id;";

    public const string SetLastEventSequence = "UPDATE jobs SET last_event_seq = @seq WHERE id = @id;";


    // ---- job history ----

    public const string InsertJobEvent = "INSERT INTO job_events (job_id, seq, at, type, data_json) VALUES (@id, @seq, @now, @type, @data);";

    public const string ReadJobEvents = """
        SELECT job_id, seq, at, type, data_json FROM job_events
         WHERE job_id = @id AND seq > @after ORDER BY seq LIMIT @limit;
        """;

    // ---- job logs ----

    public const string InsertLogLine = "INSERT INTO job_logs (job_id, seq, at, stream, text) VALUES (@id, @seq, @now, @stream, @text);";

    public const string ReadLogLines = """
        SELECT job_id, seq, at, stream, text FROM job_logs
         WHERE job_id = @id AND seq > @after ORDER BY seq LIMIT @limit;
        """;

    public const string TailLogLines = """
        SELECT job_id, seq, at, stream, text FROM (
            SELECT job_id, seq, at, stream, text FROM job_logs WHERE job_id = @id ORDER BY seq DESC LIMIT @count)
         ORDER BY seq;
        """;

    public const string PurgeLogLines = "DELETE FROM job_logs WHERE at < @cutoff;";

    // ---- outbox ----

    private const string OutboxColumns = "id, kind, idempotency_key, payload_json, due_at, attempts, status, last_error, created_at, job_id";

    /// <summary>A job's effect (@job = its id), or an actor turn's (@job = NULL).</summary>
    public const string InsertOutboxItem = """
        INSERT INTO outbox (kind, idempotency_key, payload_json, due_at, attempts, status, created_at, job_id)
        VALUES (@kind, @key, @payload, @due, 0, 'pending', @now, @job)
        ON CONFLICT (idempotency_key) DO NOTHING;
        """;

    public const string SelectOutboxItemByKey = $"SELECT {OutboxColumns} FROM outbox WHERE idempotency_key = @key;";

    /// <summary>
    /// One job's due items nobody holds, on ix_outbox_job_due. Each claim is one try: attempts counts claims,
    /// so a crash mid-effect still counts.
    /// </summary>
    public const string ClaimJobOutboxItems = $"""
        UPDATE outbox SET lease_owner = @owner, lease_expires_at = @expires, attempts = attempts + 1
         WHERE id IN (
            SELECT id FROM outbox
             WHERE job_id = @job AND status = 'pending' AND due_at <= @now
               AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
             ORDER BY due_at, id
             LIMIT @max)
        RETURNING {OutboxColumns};
        """;

    public const string NextJobOutboxDue = """
        SELECT MIN(MAX(due_at, COALESCE(lease_expires_at, due_at))) FROM outbox WHERE job_id = @job AND status = 'pending';
        """;

    /// <summary>Jobs with pending items, earliest first: a walk of ix_outbox_job_due's groups.</summary>
    public const string JobsWithPendingOutboxItems = """
        SELECT job_id FROM outbox
         WHERE status = 'pending' AND job_id IS NOT NULL
         GROUP BY job_id
         ORDER BY MIN(due_at), job_id
         LIMIT @max;
        """;

    public const string CompleteOutboxItem = """
        UPDATE outbox SET status = 'done', finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
         WHERE id = @id AND status = 'pending';
        """;

    public const string FailOutboxItem = """
        UPDATE outbox
           SET status = CASE WHEN @retryAt IS NULL THEN 'dead' ELSE 'pending' END,
               due_at = COALESCE(@retryAt, due_at),
               last_error = @error,
               finished_at = CASE WHEN @retryAt IS NULL THEN @now ELSE NULL END,
               lease_owner = NULL,
               lease_expires_at = NULL
         WHERE id = @id AND status = 'pending';
        """;


    // ---- held work ----

    /// <summary>Stores a job's held work, replacing an earlier one; inserts nothing when the job is missing.</summary>
    public const string UpsertHeldWork = """
        INSERT INTO held_work (job_id, run, commit_sha, bundle, created_at)
        SELECT @id, @run, @commit, @bundle, @now WHERE EXISTS (SELECT 1 FROM jobs WHERE id = @id)
        ON CONFLICT (job_id) DO UPDATE SET
            run = excluded.run,
            commit_sha = excluded.commit_sha,
            bundle = excluded.bundle,
            created_at = excluded.created_at;
        """;

    public const string SelectHeldWork = "SELECT job_id, run, commit_sha, bundle, created_at FROM held_work WHERE job_id = @id;";

    public const string DeleteHeldWork = "DELETE FROM held_work WHERE job_id = @id;";


    // ---- data protection keys ----

    public const string InsertDataProtectionKey = "INSERT INTO data_protection_keys (friendly_name, xml, created) VALUES (@name, @xml, @now);";

    public const string SelectDataProtectionKeys = "SELECT id, friendly_name, xml, created FROM data_protection_keys ORDER BY id;";
}
