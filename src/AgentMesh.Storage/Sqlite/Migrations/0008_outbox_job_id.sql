-- AgentMesh SQLite schema, version 8: every outbox item belongs to a job.
-- The job's grain performs its own job's effects (one activation per job, so they go out in order) instead of one
-- dispatcher per node claiming every job's items; the outbox is read per job (docs/storage.md#outbox).
-- outbox.job_id is the job whose turn wrote the item; NULL for an actor turn's item. Existing rows get it from
-- their idempotency key, which for a job's effect reads job/{jobId}/...: the text between 'job/' and the next '/'
-- (compared exactly, not with LIKE, whose '_' and case-folding would match other keys). Other keys stay NULL.
-- The pending-items index is now per job: (job_id, due_at, id) serves a job's claim and next-due time, and the
-- start-up sweep's list of jobs with pending items.
ALTER TABLE outbox ADD COLUMN job_id TEXT;

UPDATE outbox
   SET job_id = substr(idempotency_key, 5, instr(substr(idempotency_key, 5), '/') - 1)
 WHERE substr(idempotency_key, 1, 4) = 'job/'
   AND instr(substr(idempotency_key, 5), '/') > 1;

DROP INDEX IF EXISTS ix_outbox_due;
CREATE INDEX ix_outbox_job_due ON outbox (job_id, due_at, id) WHERE status = 'pending';
