-- AgentMesh SQLite schema, version 2: work held for a maintainer's approval, as a git bundle any node can push.
-- One row per job; it goes with the job (purge) through the foreign key.
CREATE TABLE held_work (
    job_id      TEXT    NOT NULL PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    run         INTEGER NOT NULL,
    commit_sha  TEXT    NOT NULL,
    bundle      BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
);
