-- "Working on…": while a pin holds, all active time goes to its project
-- whatever the rules say (privacy rules still apply first). Kept as
-- intervals, so reports and blocks follow them for past time too.
-- end_utc NULL: still pinned (until unpinned).
CREATE TABLE pins (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    start_utc  INTEGER NOT NULL,
    end_utc    INTEGER,
    created_at TEXT    NOT NULL
);
CREATE INDEX ix_pins_start ON pins(start_utc);
