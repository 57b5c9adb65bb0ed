-- AgentMesh SQLite schema, version 5: ASP.NET Core Data Protection's key ring (IDataProtectionKeyStore), one row per XML element, append-only.
-- friendly_name is not unique: Data Protection may store two elements under one name and reads both back.
-- created is unix milliseconds (UTC), like every time in this schema.
CREATE TABLE data_protection_keys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name  TEXT,
    xml            TEXT    NOT NULL,
    created        INTEGER NOT NULL
);
