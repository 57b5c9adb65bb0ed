-- AgentMesh SQLite schema, version 9: the store no longer limits a repo's concurrent jobs; the repo grain does.
-- A worker slot reads the claimable jobs (IJobStore.ListClaimableAsync) and asks each job's repo grain; the repo
-- grain (one activation per repo, so one decision at a time) counts the repo's held jobs (CountHeldAsync) against
-- the repo's configuration, which lives in the grain, and claims the one job it chose (TryClaimAsync). repo_limits
-- (each repo's limit, read by the old claim) goes. Jobs, their claims (owner, claim time, fence) and every other
-- table are untouched.
--
-- Indexes. The list of claimable jobs (WHERE state = 'queued' OR (state = 'fixing' AND lease_owner IS NULL),
-- run_after <= now, ORDER BY priority DESC, run_after, created_at, id LIMIT n) walks ix_jobs_claim (migration 1),
-- whose WHERE and key are exactly these; no new index. The claim of one job is an UPDATE by primary key.
-- The count of a repo's held jobs matches the repo ignoring case (repo = @repo COLLATE NOCASE AND lease_owner IS
-- NOT NULL), as listing by repo does. ix_jobs_repo_leased (migration 1, on repo with the default BINARY collation,
-- over held jobs; only the old claim's count used it) cannot be searched with NOCASE, only scanned whole. It is
-- replaced by the same partial index with the NOCASE collation, which the count searches: as cheap (one entry per
-- held job), and a seek instead of a scan.
DROP TABLE IF EXISTS repo_limits;
DROP INDEX IF EXISTS ix_jobs_repo_leased;
CREATE INDEX ix_jobs_repo_held ON jobs (repo COLLATE NOCASE) WHERE lease_owner IS NOT NULL;
