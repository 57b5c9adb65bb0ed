-- AgentMesh PostgreSQL schema, version 9: the store no longer limits a repo's concurrent jobs; the repo grain does.
-- A worker slot reads the claimable jobs (IJobStore.ListClaimableAsync) and asks each job's repo grain; the repo
-- grain (one activation per repo, so one decision at a time) counts the repo's held jobs (CountHeldAsync) against
-- the repo's configuration, which lives in the grain, and claims the one job it chose (TryClaimAsync). repo_limits
-- (a copy of each repo's limit and a counter of its leased jobs, kept by claims, releases and purges) goes.
-- Jobs, their claims (owner, claim time, fence) and every other table are untouched.
--
-- Indexes. The list of claimable jobs (WHERE state = 'queued' OR (state = 'fixing' AND lease_owner IS NULL),
-- run_after <= now, ORDER BY priority DESC, run_after, created_at, id LIMIT n) is exactly what jobs_claimable
-- (migration 1) was built for: a partial index with that predicate and that key, walked in order; no new index.
-- The claim of one job is an UPDATE by primary key. The count of a repo's held jobs matches the repo ignoring
-- case (lower(repo) = lower(@repo) AND lease_owner IS NOT NULL), which jobs_repo_newest (on repo itself) cannot
-- serve, so it would read every job row, terminal ones included, on every claim decision. jobs_held_by_repo
-- indexes lower(repo) over held jobs only: one entry per held job, and no extra cost to claims and
-- releases, which already change lease_owner, a column of jobs_claimable's predicate (so they are never HOT).
DROP TABLE IF EXISTS repo_limits;
CREATE INDEX jobs_held_by_repo ON jobs (lower(repo)) WHERE lease_owner IS NOT NULL;
