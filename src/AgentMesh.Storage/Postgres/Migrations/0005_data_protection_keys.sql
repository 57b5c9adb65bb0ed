-- AgentMesh PostgreSQL schema, version 5: ASP.NET Core Data Protection's key ring (IDataProtectionKeyStore), one row per XML element, append-only.
-- friendly_name is not unique: Data Protection may store two elements under one name and reads both back.
CREATE TABLE data_protection_keys (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name  text,
    xml            text        NOT NULL,
    created        timestamptz NOT NULL
);
