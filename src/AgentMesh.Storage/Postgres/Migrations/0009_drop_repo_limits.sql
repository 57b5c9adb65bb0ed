-- AgentMesh PostgreSQL schema, version 9: a repo's run slots are its repo grain's decision. A worker slot reads
-- the claimable jobs (jobs_claimable serves that read), the job's repo grain counts the repo's held jobs against
-- its configured maxConcurrentJobs and claims the one job; repo_limits (a copy of that configuration, and the
-- counter the old claim statement locked) goes. The count matches the repo's name ignoring letter case.
DROP TABLE IF EXISTS repo_limits;
CREATE INDEX IF NOT EXISTS jobs_repo_held ON jobs (lower(repo)) WHERE lease_owner IS NOT NULL;
