-- AgentMesh PostgreSQL schema, version 2: work held for a maintainer's approval, as a git bundle any node can push.
-- One row per job; like the job's logs and events it is deleted with the job by the purge.
CREATE TABLE held_work (
    job_id      text        NOT NULL PRIMARY KEY,
    run         integer     NOT NULL,
    commit_sha  text        NOT NULL,
    bundle      bytea       NOT NULL,
    created_at  timestamptz NOT NULL
);
