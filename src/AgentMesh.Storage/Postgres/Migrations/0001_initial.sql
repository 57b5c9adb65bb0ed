-- AgentMesh store schema, version 1 (PostgreSQL).
-- Times are timestamptz written by the application's clock (see docs/storage.md, "Clock").
-- Job states are stored by their wire names (queued, running, waiting_for_reply, ...).

-- Generic actors (repo, tenant, ...). A turn materialises the row with version 0 (INSERT ... ON
-- CONFLICT DO NOTHING) so it has something to lock with SELECT ... FOR UPDATE; version 0 means "no
-- state saved yet" and is invisible to readers.
CREATE TABLE actors (
    actor_type  text        NOT NULL,
    key         text        NOT NULL,
    version     bigint      NOT NULL DEFAULT 0,
    state_json  text        NULL,
    updated_at  timestamptz NOT NULL,
    -- The last event's sequence: read with the row lock, so a turn numbers its events without a gap.
    last_event_seq bigint     NOT NULL DEFAULT 0,
    PRIMARY KEY (actor_type, key)
);

CREATE TABLE actor_events (
    actor_type  text        NOT NULL,
    key         text        NOT NULL,
    seq         bigint      NOT NULL,
    type        text        NOT NULL,
    data_json   text        NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (actor_type, key, seq)
);

-- Per-repo concurrency. "leased" counts the repo's jobs that hold a lease; claim, release, rescue
-- and purge keep it exact in the same transaction. Claims lock this row together with the job row,
-- so two claimers can never both take the repo's last free slot (see PostgresSql.Claim).
CREATE TABLE repo_limits (
    repo            text PRIMARY KEY,
    max_concurrent  integer NOT NULL DEFAULT 1 CHECK (max_concurrent >= 0),
    leased          integer NOT NULL DEFAULT 0 CHECK (leased >= 0)
);

CREATE TABLE jobs (
    id                text        PRIMARY KEY,
    repo              text        NOT NULL,
    natural_key       text        NOT NULL UNIQUE,
    kind              text        NOT NULL,
    state             text        NOT NULL,
    priority          integer     NOT NULL,
    run_after         timestamptz NOT NULL,
    attempt           integer     NOT NULL,
    max_attempts      integer     NOT NULL,
    lease_owner       text        NULL,
    lease_expires_at  timestamptz NULL,
    fence             bigint      NOT NULL DEFAULT 0,
    version           bigint      NOT NULL DEFAULT 1,
    data_json         text        NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    -- Sequence counters for the job's logs, events and mail: bumped in the transaction that
    -- appends, so numbers are per job, start at 1 and have no gaps (a sequence object would leave
    -- gaps on rollback).
    last_log_seq      bigint      NOT NULL DEFAULT 0,
    last_event_seq    bigint      NOT NULL DEFAULT 0,
    last_mail_seq     bigint      NOT NULL DEFAULT 0
);

-- The claim scan: only claimable rows, in claim order.
CREATE INDEX jobs_claimable ON jobs (priority DESC, run_after, created_at, id)
    WHERE state = 'queued' OR (state = 'fixing' AND lease_owner IS NULL);
-- The rescuer's scan.
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE lease_owner IS NOT NULL;
CREATE INDEX jobs_newest ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_repo_newest ON jobs (repo, created_at DESC, id DESC);
CREATE INDEX jobs_terminal ON jobs (updated_at) WHERE state IN ('merged', 'failed', 'stopped', 'closed');

CREATE TABLE job_events (
    job_id     text        NOT NULL,
    seq        bigint      NOT NULL,
    at         timestamptz NOT NULL,
    type       text        NOT NULL,
    data_json  text        NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- One row per log line, never one growing row.
CREATE TABLE job_logs (
    job_id  text        NOT NULL,
    seq     bigint      NOT NULL,
    at      timestamptz NOT NULL,
    stream  text        NOT NULL,
    text    text        NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX job_logs_at ON job_logs (at);

CREATE TABLE job_mail (
    job_id        text        NOT NULL,
    seq           bigint      NOT NULL,
    at            timestamptz NOT NULL,
    author        text        NOT NULL,
    kind          text        NOT NULL,
    text          text        NOT NULL,
    delivered_at  timestamptz NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE webhook_inbox (
    delivery_id       text        PRIMARY KEY,
    event             text        NOT NULL,
    action            text        NULL,
    repository        text        NULL,
    installation_id   bigint      NULL,
    payload           bytea       NOT NULL,
    received_at       timestamptz NOT NULL,
    processed_at      timestamptz NULL,
    error             text        NULL,
    lease_owner       text        NULL,
    lease_expires_at  timestamptz NULL
);
CREATE INDEX webhook_inbox_pending ON webhook_inbox (received_at, delivery_id) WHERE processed_at IS NULL;

CREATE TABLE outbox (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text        NOT NULL,
    idempotency_key   text        NOT NULL UNIQUE,
    payload_json      text        NOT NULL,
    due_at            timestamptz NOT NULL,
    attempts          integer     NOT NULL DEFAULT 0,
    status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    last_error        text        NULL,
    created_at        timestamptz NOT NULL,
    lease_owner       text        NULL,
    lease_expires_at  timestamptz NULL
);
CREATE INDEX outbox_due ON outbox (due_at, id) WHERE status = 'pending';

CREATE TABLE nodes (
    node_id       text        PRIMARY KEY,
    roles         text[]      NOT NULL,
    slots         integer     NOT NULL,
    running_jobs  integer     NOT NULL,
    stopping      boolean     NOT NULL,
    version       text        NOT NULL,
    started_at    timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL
);

-- Queue tables churn: every claim and turn leaves a dead row version. Vacuum and analyze them sooner
-- than the defaults (20% / 10% of the table) so the claim keeps walking jobs_claimable in order
-- instead of sorting every candidate, which the planner does when its statistics say the table is tiny.
ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE repo_limits SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02);
