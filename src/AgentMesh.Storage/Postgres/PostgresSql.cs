namespace AgentMesh.Storage.Postgres;

/// <summary>
/// Every SQL statement of the PostgreSQL store (the schema itself is in Migrations/*.sql). "Now" is always a
/// parameter from the store's <see cref="TimeProvider"/>, never the server's <c>now()</c>.
/// </summary>
internal static class PostgresSql
{
    /// <summary>A constant key for <c>pg_advisory_lock</c>: "AgMshMig" as bytes. Only migrations take it.</summary>
    public const long MigrationLockKey = 0x41674D73684D6967;

    // ---- migrations -------------------------------------------------------------------------------------

    public const string TakeMigrationLock = "SELECT pg_advisory_lock(@key)";

    public const string ReleaseMigrationLock = "SELECT pg_advisory_unlock(@key)";

    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     integer     PRIMARY KEY,
            name        text        NOT NULL,
            applied_at  timestamptz NOT NULL)
        """;

    public const string AppliedMigrations = "SELECT version FROM schema_migrations";

    public const string RecordMigration = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)";

    public const string MigrationsTableExists = "SELECT to_regclass('schema_migrations') IS NOT NULL";

    public const string SchemaVersion = "SELECT coalesce(max(version), 0) FROM schema_migrations";

    // ---- actors -----------------------------------------------------------------------------------------

    public const string ActorColumns = "actor_type, key, version, state_json, updated_at";

    public const string GetActor = $"SELECT {ActorColumns} FROM actors WHERE actor_type = @type AND key = @key AND version > 0";

    public const string ListActors = $"SELECT {ActorColumns} FROM actors WHERE actor_type = @type AND version > 0 ORDER BY key COLLATE \"C\"";

    /// <summary>Gives a first turn a row to lock; version 0 means no state yet.</summary>
    public const string MaterialiseActor = """
        INSERT INTO actors (actor_type, key, version, state_json, updated_at)
        VALUES (@type, @key, 0, NULL, @now)
        ON CONFLICT (actor_type, key) DO NOTHING
        """;

    public const string LockActor = $"SELECT {ActorColumns}, last_event_seq FROM actors WHERE actor_type = @type AND key = @key FOR UPDATE";

    /// <summary>Compare-and-set on the version read under the lock; a null state keeps state, version and time.</summary>
    public const string SaveActor = $"""
        UPDATE actors
           SET version    = CASE WHEN @state::text IS NULL THEN version ELSE version + 1 END,
               state_json = coalesce(@state::text, state_json),
               updated_at = CASE WHEN @state::text IS NULL THEN updated_at ELSE @now END,
               last_event_seq  = last_event_seq + @event_count
         WHERE actor_type = @type AND key = @key AND version = @version
        RETURNING {ActorColumns}
        """;

    public const string InsertActorEvents = """
        INSERT INTO actor_events (actor_type, key, seq, type, data_json, at)
        SELECT @type, @key, @first_seq + u.ord - 1, u.type, u.data, @now
          FROM unnest(@types::text[], @datas::text[]) WITH ORDINALITY AS u(type, data, ord)
        """;

    public const string DeleteActor = """
        WITH gone AS (
            DELETE FROM actors WHERE actor_type = @type AND key = @key RETURNING version
        ), events AS (
            DELETE FROM actor_events WHERE actor_type = @type AND key = @key
        )
        SELECT count(*) FROM gone WHERE version > 0
        """;

    public const string ReadActorEvents = """
        SELECT actor_type, key, seq, type, data_json, at FROM actor_events
         WHERE actor_type = @type AND key = @key AND seq > @after
         ORDER BY seq LIMIT @limit
        """;

    // ---- outbox (also written by turns) -----------------------------------------------------------------

    /// <summary>A turn's items: a job turn's with @job_id = the job, an actor turn's with NULL.</summary>
    public const string InsertOutboxItems = """
        INSERT INTO outbox (kind, idempotency_key, payload_json, due_at, created_at, job_id)
        SELECT u.kind, u.key, u.payload, u.due, @now, @job_id
          FROM unnest(@kinds::text[], @keys::text[], @payloads::text[], @dues::timestamptz[]) AS u(kind, key, payload, due)
        ON CONFLICT (idempotency_key) DO NOTHING
        """;

    public const string OutboxColumns = "id, kind, idempotency_key, payload_json, due_at, attempts, status, last_error, created_at, job_id";

    public const string EnqueueOutboxItem = """
        INSERT INTO outbox (kind, idempotency_key, payload_json, due_at, created_at, job_id)
        VALUES (@kind, @key, @payload, @due, @now, @job_id)
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id
        """;

    /// <summary>
    /// One job's due, pending items nobody holds (or whose holder's lease ran out), on outbox_job_due; a claim
    /// counts as an attempt. SKIP LOCKED: two claimers of one job take different items, never the same one (a row
    /// another claimer committed meanwhile is re-checked and, now leased, dropped).
    /// </summary>
    public const string ClaimDueJobOutboxItems = $"""
        WITH due AS (
            SELECT id FROM outbox
             WHERE job_id = @job_id AND status = 'pending' AND due_at <= @now
               AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
             ORDER BY due_at, id
             LIMIT @max
             FOR UPDATE SKIP LOCKED
        )
        UPDATE outbox o
           SET attempts = o.attempts + 1, lease_owner = @owner, lease_expires_at = @expires
          FROM due
         WHERE o.id = due.id
        RETURNING o.id, o.kind, o.idempotency_key, o.payload_json, o.due_at, o.attempts, o.status, o.last_error, o.created_at, o.job_id
        """;

    public const string CompleteOutboxItem = """
        UPDATE outbox SET status = 'done', lease_owner = NULL, lease_expires_at = NULL WHERE id = @id
        """;

    public const string FailOutboxItem = """
        UPDATE outbox
           SET status = CASE WHEN @retry_at::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
               due_at = coalesce(@retry_at::timestamptz, due_at),
               last_error = @error,
               lease_owner = NULL,
               lease_expires_at = NULL
         WHERE id = @id
        """;

    public const string NextJobOutboxDue =
        "SELECT min(GREATEST(due_at, COALESCE(lease_expires_at, due_at))) FROM outbox WHERE job_id = @job_id AND status = 'pending'";

    /// <summary>Jobs with pending items (any due time, held or not), the one with the earliest due item first.</summary>
    public const string JobsWithPendingOutboxItems = """
        SELECT job_id FROM outbox
         WHERE status = 'pending' AND job_id IS NOT NULL
         GROUP BY job_id
         ORDER BY min(due_at), job_id
         LIMIT @max
        """;

    public const string GetOutboxItemByKey = $"SELECT {OutboxColumns} FROM outbox WHERE idempotency_key = @key";

    // ---- jobs -------------------------------------------------------------------------------------------

    public const string JobColumns =
        "id, repo, natural_key, kind, state, priority, run_after, attempt, max_attempts, lease_owner, " +
        "claimed_at, fence, version, data_json, created_at, updated_at";

    /// <summary>
    /// Creates the job unless its natural key exists. Returns no row for a duplicate (the caller then reads the
    /// existing job in a new statement, whose snapshot sees a concurrent inserter's commit).
    /// </summary>
    public const string EnqueueJob = $"""
        WITH created AS (
            INSERT INTO jobs (id, repo, natural_key, kind, state, priority, run_after, attempt, max_attempts,
                              fence, version, data_json, created_at, updated_at, last_event_seq)
            VALUES (@id, @repo, @natural_key, @kind, 'queued', @priority, @run_after, 1, @max_attempts,
                    0, 1, @data, @now, @now, cardinality(@types::text[]))
            ON CONFLICT (natural_key) DO NOTHING
            RETURNING {JobColumns}
        ), history AS (
            INSERT INTO job_events (job_id, seq, at, type, data_json)
            SELECT created.id, u.ord, @now, u.type, u.data
              FROM created, unnest(@types::text[], @datas::text[]) WITH ORDINALITY AS u(type, data, ord)
        )
        SELECT {JobColumns} FROM created
        """;

    public const string GetJob = $"SELECT {JobColumns} FROM jobs WHERE id = @id";

    public const string FindJobByNaturalKey = $"SELECT {JobColumns} FROM jobs WHERE natural_key = @natural_key";

    public const string ListJobs = $"""
        SELECT {JobColumns} FROM jobs
         WHERE (@repo::text IS NULL OR lower(repo) = lower(@repo::text))
           AND (@states::text[] IS NULL OR state = ANY(@states::text[]))
         ORDER BY created_at DESC, id DESC
         LIMIT @limit OFFSET @offset
        """;

    /// <summary>What a worker may claim now; the WHERE repeats jobs_claimable's predicate and the ORDER BY its key.</summary>
    private const string Claimable = "(state = 'queued' OR (state = 'fixing' AND lease_owner IS NULL)) AND run_after <= @now";

    /// <summary>The claimable jobs, best first: a walk of the partial index jobs_claimable (migration 1), no lock.</summary>
    public const string ListClaimableJobs = $"""
        SELECT {JobColumns} FROM jobs
         WHERE {Claimable}
         ORDER BY priority DESC, run_after, created_at, id
         LIMIT @limit
        """;

    /// <summary>
    /// The claim of one named job within its repo's run slots, one statement (one round trip): <c>held</c> counts
    /// the repo's jobs holding a claim, the repo matched as ListJobs matches it (on jobs_held_by_repo, migration 9),
    /// and the conditional UPDATE claims the job only while that count is below the limit. A second claimer of the
    /// same row waits for the first one's row lock, and READ COMMITTED then re-evaluates the WHERE on the row the
    /// first one committed (now <c>running</c>, or <c>fixing</c> with an owner): it matches nothing, so exactly one
    /// claim wins. Always one row: the claimed row's columns (all null when nothing was claimed), then
    /// <c>repo_full</c>, which says why nothing was (the count is read before the claim, as the repo grain read it
    /// before it asked for one). The count sees the statement's snapshot, not a lock: the repo grain serialises one
    /// repo's claims.
    /// </summary>
    public const string TryClaimJob = $"""
        WITH held AS (
            SELECT count(*)::int AS jobs FROM jobs WHERE lower(repo) = lower(@repo) AND lease_owner IS NOT NULL
        ), claimed AS (
            UPDATE jobs
               SET state = CASE WHEN state = 'queued' THEN 'running' ELSE state END,
                   lease_owner = @owner,
                   claimed_at = @now,
                   fence = fence + 1,
                   version = version + 1,
                   updated_at = @now
             WHERE id = @id AND {Claimable} AND (SELECT jobs FROM held) < @repo_limit
            RETURNING {JobColumns}
        )
        SELECT claimed.*, held.jobs >= @repo_limit AS repo_full FROM held LEFT JOIN claimed ON true
        """;

    /// <summary>The ordinal of <see cref="TryClaimJob"/>'s <c>repo_full</c>, after the job's columns.</summary>
    public const int TryClaimJobRepoFull = 16;

    public const string LockJob = $"SELECT {JobColumns}, last_event_seq FROM jobs WHERE id = @id FOR UPDATE";

    /// <summary>
    /// A turn's write: compare-and-set on the state and version read under the lock, and — for a worker's
    /// turn — on its lease owner and fence, so the write itself states the fencing rule.
    /// </summary>
    public const string ApplyJobChange = $"""
        UPDATE jobs
           SET state = @state,
               data_json = @data,
               run_after = coalesce(@run_after::timestamptz, run_after),
               attempt = coalesce(@attempt::int, attempt),
               lease_owner = CASE WHEN @release THEN NULL ELSE lease_owner END,
               claimed_at = CASE WHEN @release THEN NULL ELSE claimed_at END,
               fence = fence + CASE WHEN @release THEN 1 ELSE 0 END,
               version = version + 1,
               last_event_seq = last_event_seq + @event_count,
               updated_at = @now
         WHERE id = @id AND version = @version AND state = @expected_state
           AND (@owner::text IS NULL OR (lease_owner = @owner::text AND fence = @fence))
        RETURNING {JobColumns}
        """;

    public const string InsertJobEvents = """
        INSERT INTO job_events (job_id, seq, at, type, data_json)
        SELECT @job_id, @first_seq + u.ord - 1, @now, u.type, u.data
          FROM unnest(@types::text[], @datas::text[]) WITH ORDINALITY AS u(type, data, ord)
        """;

    public const string PurgeTerminalJobs = """
        WITH doomed AS (
            DELETE FROM jobs
             WHERE state IN ('merged', 'failed', 'stopped', 'closed') AND updated_at < @cutoff
            RETURNING id
        ), logs AS (
            DELETE FROM job_logs WHERE job_id IN (SELECT id FROM doomed)
        ), events AS (
            DELETE FROM job_events WHERE job_id IN (SELECT id FROM doomed)
        ), held AS (
            DELETE FROM held_work WHERE job_id IN (SELECT id FROM doomed)
        )
        SELECT count(*)::int FROM doomed
        """;

    // ---- logs -------------------------------------------------------------------------------------------

    /// <summary>
    /// Reserves the batch's sequence numbers on the job row (which also checks the fence, when a lease is
    /// given) and inserts one row per line, in one statement. Returns no row when the job is missing or the
    /// lease is stale: then nothing was written.
    /// </summary>
    public const string AppendLogLines = """
        WITH reserved AS (
            UPDATE jobs SET last_log_seq = last_log_seq + @count
             WHERE id = @job_id
               AND (@owner::text IS NULL OR (lease_owner = @owner::text AND fence = @fence))
            RETURNING last_log_seq
        ), lines AS (
            INSERT INTO job_logs (job_id, seq, at, stream, text)
            SELECT @job_id, r.last_log_seq - @count + u.ord, @now, u.stream, u.text
              FROM reserved r, unnest(@streams::text[], @texts::text[]) WITH ORDINALITY AS u(stream, text, ord)
        )
        SELECT last_log_seq FROM reserved
        """;

    public const string LastLogSequence = """
        SELECT last_log_seq FROM jobs
         WHERE id = @job_id AND (@owner::text IS NULL OR (lease_owner = @owner::text AND fence = @fence))
        """;

    public const string JobExists = "SELECT EXISTS (SELECT 1 FROM jobs WHERE id = @job_id)";

    public const string ReadLogLines = """
        SELECT job_id, seq, at, stream, text FROM job_logs
         WHERE job_id = @job_id AND seq > @after
         ORDER BY seq LIMIT @limit
        """;

    public const string TailLogLines = """
        SELECT job_id, seq, at, stream, text FROM (
            SELECT job_id, seq, at, stream, text FROM job_logs WHERE job_id = @job_id ORDER BY seq DESC LIMIT @count
        ) tail ORDER BY seq
        """;

    public const string PurgeLogLines = "DELETE FROM job_logs WHERE at < @cutoff";

    // ---- history ----------------------------------------------------------------------------------------

    public const string ReadJobEvents = """
        SELECT job_id, seq, at, type, data_json FROM job_events
         WHERE job_id = @job_id AND seq > @after
         ORDER BY seq LIMIT @limit
        """;

    // ---- held work ----------------------------------------------------------------------------------------

    /// <summary>Stores a job's held work, replacing an earlier one; inserts nothing when the job is missing.</summary>
    public const string UpsertHeldWork = """
        INSERT INTO held_work (job_id, run, commit_sha, bundle, created_at)
        SELECT @job_id, @run, @commit_sha, @bundle, @now WHERE EXISTS (SELECT 1 FROM jobs WHERE id = @job_id)
        ON CONFLICT (job_id) DO UPDATE
           SET run = EXCLUDED.run, commit_sha = EXCLUDED.commit_sha, bundle = EXCLUDED.bundle, created_at = EXCLUDED.created_at
        """;

    public const string SelectHeldWork = "SELECT job_id, run, commit_sha, bundle, created_at FROM held_work WHERE job_id = @job_id";

    public const string DeleteHeldWork = "DELETE FROM held_work WHERE job_id = @job_id";


    // ---- data protection keys -----------------------------------------------------------------------------

    /// <summary>Append-only: every element is a new row, whatever its friendly name (Data Protection expects both back).</summary>
    public const string InsertDataProtectionKey = "INSERT INTO data_protection_keys (friendly_name, xml, created) VALUES (@friendly_name, @xml, @now)";

    public const string SelectDataProtectionKeys = "SELECT id, friendly_name, xml, created FROM data_protection_keys ORDER BY id";
}
