-- AgentMesh SQLite schema, version 6: the job_mail table goes.
-- A job's chat mailbox is part of the job's own state (AgentMesh.Core's JobActorState.Mailbox), changed in the
-- job's turns; the separate table was never read by the node, a second place for the same messages.
DROP TABLE IF EXISTS job_mail;
ALTER TABLE jobs DROP COLUMN last_mail_seq;
