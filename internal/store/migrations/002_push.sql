-- AFK status read from aw-watcher-afk, so blocks can cut time away from the
-- keyboard. One row per server event, widened as it grows (like links).
CREATE TABLE afk_events (
    integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    bucket_id      TEXT    NOT NULL,
    event_id       INTEGER NOT NULL,
    start_utc      INTEGER NOT NULL,
    end_utc        INTEGER NOT NULL,
    status         TEXT    NOT NULL,
    PRIMARY KEY (integration_id, bucket_id, event_id)
);
CREATE INDEX ix_afk_events_start ON afk_events(start_utc);

-- The remote TimeTracker project a local project is pushed to.
ALTER TABLE projects ADD COLUMN remote_id INTEGER;

-- The outbox: timesheet blocks and what happened to them on the server.
-- state: pending (built, not sent), approved (review mode: may be sent),
-- sending (a POST/PUT is under way: the idempotency key is stored first),
-- pushed, failed, conflict (the server reports an overlap), discarded.
CREATE TABLE push_blocks (
    block_id        TEXT    PRIMARY KEY,
    start_utc       INTEGER NOT NULL,
    end_utc         INTEGER NOT NULL,
    project_id      INTEGER,          -- local project; NULL: the remote default
    app             TEXT    NOT NULL DEFAULT '',
    notes           TEXT    NOT NULL DEFAULT '',
    tags            TEXT    NOT NULL DEFAULT '',
    content_hash    TEXT    NOT NULL,
    edited          INTEGER NOT NULL DEFAULT 0, -- the person changed project or notes
    state           TEXT    NOT NULL DEFAULT 'pending',
    remote_id       INTEGER,
    pushed_hash     TEXT,             -- content_hash at the last successful push
    idempotency_key TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at INTEGER,          -- unix µs: retry backoff
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX ix_push_blocks_state ON push_blocks(state, start_utc);
