-- AgentMesh PostgreSQL schema, version 7: a job's claim records when it was made, not when its lease runs out.
-- The store no longer renews, expires or rescues job leases: the job grain checks its run's liveness and rescues
-- a lost run with a turn carrying the run's owner and fence (docs/architecture.md). jobs.lease_expires_at becomes
-- claimed_at, set by a claim and cleared with the lease; the old values were expiry times, not claim times, so they
-- are cleared (a job leased now keeps its owner and fence). The rescuer's index goes with the rescuer.
-- outbox.lease_expires_at is another lease (a dispatcher's claim on an item) and stays as it is.
DROP INDEX IF EXISTS jobs_leased;
ALTER TABLE jobs RENAME COLUMN lease_expires_at TO claimed_at;
UPDATE jobs SET claimed_at = NULL WHERE claimed_at IS NOT NULL;
