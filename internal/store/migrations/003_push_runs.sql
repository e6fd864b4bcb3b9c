-- What each push did (the integrations row keeps only the sync's outcome).
CREATE TABLE push_runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at_utc    INTEGER NOT NULL,  -- unix µs
    status    TEXT    NOT NULL,  -- success, partial, error
    created   INTEGER NOT NULL DEFAULT 0,
    updated   INTEGER NOT NULL DEFAULT 0,
    failed    INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    waiting   INTEGER NOT NULL DEFAULT 0,
    removed   INTEGER NOT NULL DEFAULT 0,  -- server entries deleted: their time is elsewhere now, or excluded
    message   TEXT    NOT NULL DEFAULT ''
);

-- Recent requests to a TimeTracker server, so the hourly request budget
-- survives a restart. Pruned to the last hour.
CREATE TABLE remote_requests (
    server TEXT    NOT NULL,
    at_utc INTEGER NOT NULL  -- unix µs
);
CREATE INDEX ix_remote_requests ON remote_requests(server, at_utc);

-- How much of a block's time entries of others on the server (typed in
-- the web UI, a running timer, another device) took: it was cut out.
ALTER TABLE push_blocks ADD COLUMN trimmed_seconds INTEGER NOT NULL DEFAULT 0;

-- The time others' entries held on the server at the last push (merged
-- spans), so blocks rebuilt between pushes are cut the same way.
CREATE TABLE remote_taken (
    start_utc INTEGER NOT NULL,
    end_utc   INTEGER NOT NULL
);

-- What the server holds for a block, as this app last wrote it (naive
-- times in the server's zone, the remote project, the notes): an entry
-- that differs was changed by a person on the server, and is theirs now.
ALTER TABLE push_blocks ADD COLUMN sent_start   TEXT NOT NULL DEFAULT '';
ALTER TABLE push_blocks ADD COLUMN sent_end     TEXT NOT NULL DEFAULT '';
ALTER TABLE push_blocks ADD COLUMN sent_project INTEGER NOT NULL DEFAULT 0;
ALTER TABLE push_blocks ADD COLUMN sent_notes   TEXT NOT NULL DEFAULT '';
