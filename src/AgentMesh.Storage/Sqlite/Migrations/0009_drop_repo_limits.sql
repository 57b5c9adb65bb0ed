-- AgentMesh SQLite schema, version 9: a repo's run slots are its repo grain's decision. A worker slot reads the
-- claimable jobs (ix_jobs_claim serves that read), the job's repo grain counts the repo's held jobs against its
-- configured maxConcurrentJobs and claims the one job; repo_limits was a copy of that configuration and goes.
-- The count matches the repo's name ignoring letter case, as GitHub does, so its index folds case too.
DROP TABLE IF EXISTS repo_limits;
DROP INDEX IF EXISTS ix_jobs_repo_leased;
CREATE INDEX IF NOT EXISTS ix_jobs_repo_held ON jobs (repo COLLATE NOCASE) WHERE lease_owner IS NOT NULL;
