-- AgentMesh SQLite schema, version 4: tables Orleans replaced go.
-- webhook_inbox: the delivery grain keeps each delivery (Orleans grain storage) and de-duplicates it.
-- nodes: the cluster view reads Orleans membership and silo metadata; nothing writes heartbeats any more.
DROP TABLE IF EXISTS webhook_inbox;
DROP TABLE IF EXISTS nodes;
