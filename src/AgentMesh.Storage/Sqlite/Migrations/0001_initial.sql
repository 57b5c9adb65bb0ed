-- AgentMesh SQLite schema, version 1.
-- Times are INTEGER unix milliseconds (UTC). Job states are their snake_case wire names.

-- Generic actors (repo, tenant, node-level): state JSON plus a version that grows per saved turn.
CREATE TABLE actors (
    actor_type  TEXT    NOT NULL,
    actor_key   TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    state_json  TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (actor_type, actor_key)
);

CREATE TABLE actor_events (
    actor_type  TEXT    NOT NULL,
    actor_key   TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data_json   TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (actor_type, actor_key, seq)
);

-- Job actors: the columns claims need, the rest of the state as JSON, and the last sequence
-- numbers of the job's logs, events and mail (kept here so purged lines never free a number).
CREATE TABLE jobs (
    id                TEXT    NOT NULL PRIMARY KEY,
    repo              TEXT    NOT NULL,
    natural_key       TEXT    NOT NULL UNIQUE,
    kind              TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    priority          INTEGER NOT NULL,
    run_after         INTEGER NOT NULL,
    attempt           INTEGER NOT NULL,
    max_attempts      INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_expires_at  INTEGER,
    fence             INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    data_json         TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    last_log_seq      INTEGER NOT NULL DEFAULT 0,
    last_event_seq    INTEGER NOT NULL DEFAULT 0,
    last_mail_seq     INTEGER NOT NULL DEFAULT 0
);

-- Claim candidates in claim order.
CREATE INDEX ix_jobs_claim ON jobs (priority DESC, run_after, created_at, id)
    WHERE state = 'queued' OR (state = 'fixing' AND lease_owner IS NULL);
-- Per-repo lease counting.
CREATE INDEX ix_jobs_repo_leased ON jobs (repo) WHERE lease_owner IS NOT NULL;
-- The rescuer's scan.
CREATE INDEX ix_jobs_lease_expiry ON jobs (lease_expires_at) WHERE lease_owner IS NOT NULL;
-- Listing, newest first.
CREATE INDEX ix_jobs_created ON jobs (created_at DESC, id DESC);
CREATE INDEX ix_jobs_repo_created ON jobs (repo, created_at DESC, id DESC);
-- Retention of terminal jobs.
CREATE INDEX ix_jobs_terminal_updated ON jobs (updated_at)
    WHERE state IN ('merged', 'failed', 'stopped', 'closed');

-- How many jobs of a repo may hold a lease at once; a repo without a row allows 1.
CREATE TABLE repo_limits (
    repo                 TEXT    NOT NULL PRIMARY KEY,
    max_concurrent_jobs  INTEGER NOT NULL CHECK (max_concurrent_jobs >= 0)
);

CREATE TABLE job_events (
    job_id     TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    data_json  TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- One row per log line, never one growing row.
CREATE TABLE job_logs (
    job_id  TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    stream  TEXT    NOT NULL,
    text    TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE INDEX ix_job_logs_at ON job_logs (at);

CREATE TABLE job_mail (
    job_id        TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    author        TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    delivered_at  INTEGER,
    PRIMARY KEY (job_id, seq)
);

-- Webhook deliveries, de-duplicated by GitHub's delivery id.
CREATE TABLE webhook_inbox (
    delivery_id       TEXT    NOT NULL PRIMARY KEY,
    event             TEXT    NOT NULL,
    action            TEXT,
    repository        TEXT,
    installation_id   INTEGER,
    payload           BLOB    NOT NULL,
    received_at       INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_expires_at  INTEGER,
    processed_at      INTEGER,
    error             TEXT
);

CREATE INDEX ix_webhook_inbox_pending ON webhook_inbox (received_at, delivery_id) WHERE processed_at IS NULL;

-- Side effects recorded with the state that asks for them; the idempotency key is unique.
CREATE TABLE outbox (
    id                INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind              TEXT    NOT NULL,
    idempotency_key   TEXT    NOT NULL UNIQUE,
    payload_json      TEXT    NOT NULL,
    due_at            INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
    last_error        TEXT,
    created_at        INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_expires_at  INTEGER,
    finished_at       INTEGER
);

CREATE INDEX ix_outbox_due ON outbox (due_at, id) WHERE status = 'pending';

-- Cluster membership (on SQLite: this node, and any other process sharing the file).
CREATE TABLE nodes (
    node_id       TEXT    NOT NULL PRIMARY KEY,
    roles_json    TEXT    NOT NULL,
    slots         INTEGER NOT NULL,
    running_jobs  INTEGER NOT NULL,
    stopping      INTEGER NOT NULL,
    version       TEXT    NOT NULL,
    started_at    INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL
);
