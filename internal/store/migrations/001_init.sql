-- Tables follow TimeTracker's model names so data is interchangeable.
CREATE TABLE projects (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    status     TEXT    NOT NULL DEFAULT 'active',
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE integrations (
    id               INTEGER PRIMARY KEY,
    provider         TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    config           TEXT    NOT NULL DEFAULT '{}',
    is_active        INTEGER NOT NULL DEFAULT 0,
    last_sync_at     TEXT,
    last_sync_status TEXT,
    last_error       TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

-- start_time/end_time: RFC 3339 in the app's zone, with offset (unambiguous
-- across DST). start_utc/end_utc: the same instants in Unix microseconds,
-- for range queries and ordering.
CREATE TABLE time_entries (
    id               INTEGER PRIMARY KEY,
    project_id       INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    start_time       TEXT    NOT NULL,
    end_time         TEXT,
    start_utc        INTEGER NOT NULL,
    end_utc          INTEGER,
    duration_seconds INTEGER,
    notes            TEXT,
    tags             TEXT,
    source           TEXT    NOT NULL DEFAULT 'manual',
    billable         INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX ix_time_entries_start_utc ON time_entries(start_utc);
CREATE INDEX ix_time_entries_project ON time_entries(project_id);

-- One row per imported ActivityWatch event. event_start_utc/event_end_utc
-- hold the widest extent of the event seen so far (pieces clipped by a query
-- range, and a growing newest event, all widen it).
CREATE TABLE integration_external_event_links (
    id              INTEGER PRIMARY KEY,
    integration_id  INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    time_entry_id   INTEGER NOT NULL REFERENCES time_entries(id) ON DELETE CASCADE,
    external_uid    TEXT    NOT NULL,
    external_href   TEXT,
    bucket_id       TEXT    NOT NULL,
    event_id        INTEGER,
    event_timestamp TEXT    NOT NULL,
    event_start_utc INTEGER NOT NULL,
    event_end_utc   INTEGER NOT NULL,
    app             TEXT    NOT NULL DEFAULT '',
    title           TEXT    NOT NULL DEFAULT '',
    url             TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CONSTRAINT uq_integration_external_uid UNIQUE (integration_id, external_uid)
);
CREATE UNIQUE INDEX uq_link_event ON integration_external_event_links(integration_id, bucket_id, event_id)
    WHERE event_id IS NOT NULL;
CREATE INDEX ix_link_time_entry ON integration_external_event_links(time_entry_id);

-- Per bucket: everything before synced_until_utc has been read and committed.
CREATE TABLE sync_cursors (
    integration_id   INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    bucket_id        TEXT    NOT NULL,
    synced_until_utc INTEGER NOT NULL,
    PRIMARY KEY (integration_id, bucket_id)
);
