-- Usage per repository per UTC clock hour: the dashboard's usage read model (IUsageStore).
-- Cost in millionths of a dollar, as on SQLite, so both backends add the same integers.
CREATE TABLE usage_hourly (
    repo             text        NOT NULL,
    hour             timestamptz NOT NULL,
    tokens           bigint      NOT NULL DEFAULT 0,
    cost_usd_micros  bigint      NOT NULL DEFAULT 0,
    runs             integer     NOT NULL DEFAULT 0,
    succeeded        integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (repo, hour)
);

-- The usage page reads a time range across every repository.
CREATE INDEX usage_hourly_by_hour ON usage_hourly (hour);
