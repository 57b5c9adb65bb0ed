-- Usage per repository per UTC clock hour: the dashboard's usage read model (IUsageStore).
-- hour is the hour's start in unix milliseconds; cost in millionths of a dollar (exact sums).
CREATE TABLE usage_hourly (
    repo             TEXT    NOT NULL,
    hour             INTEGER NOT NULL,
    tokens           INTEGER NOT NULL DEFAULT 0,
    cost_usd_micros  INTEGER NOT NULL DEFAULT 0,
    runs             INTEGER NOT NULL DEFAULT 0,
    succeeded        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (repo, hour)
);

-- The usage page reads a time range across every repository.
CREATE INDEX usage_hourly_by_hour ON usage_hourly (hour);
