-- AgentMesh SQLite schema, version 3: the webhook inbox table goes. The delivery grain keeps each
-- delivery (Orleans grain storage) and de-duplicates it; nothing has read or written this table since.
DROP TABLE IF EXISTS webhook_inbox;
