-- Rules decide each piece of activity's project, or keep it private.
-- position: 1 = first; the first matching project rule wins. action:
-- project, exclude, redact. match/app/title/url: regexes ('' = no
-- condition). source: user, or activitywatch (imported from an aw-webui
-- category, whose path is category: a JSON array).
CREATE TABLE rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: excluded time is kept per rule id
    position    INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    project_id  INTEGER REFERENCES projects(id) ON DELETE CASCADE,
    match       TEXT    NOT NULL DEFAULT '',
    app         TEXT    NOT NULL DEFAULT '',
    title       TEXT    NOT NULL DEFAULT '',
    url         TEXT    NOT NULL DEFAULT '',
    ignore_case INTEGER NOT NULL DEFAULT 0,
    source      TEXT    NOT NULL DEFAULT 'user',
    category    TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

-- A project's colour (imported from ActivityWatch, shown everywhere) and
-- whether its time is pushed to TimeTracker (off: kept locally only).
ALTER TABLE projects ADD COLUMN color TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN push INTEGER NOT NULL DEFAULT 1;

-- Time an exclude rule removed: no entry, no text, only the span, so the
-- other bucket's events of that time are left out too (a browser window
-- during an excluded page, pages during an excluded window) and reports
-- and blocks do not count it. kind: window or web (whose event it was).
CREATE TABLE private_spans (
    integration_id INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    rule_key       TEXT    NOT NULL, -- the exclude rule's definition (rules.Rule.Key): its spans go when it changes or goes
    start_utc      INTEGER NOT NULL,
    end_utc        INTEGER NOT NULL
);
CREATE INDEX ix_private_spans ON private_spans(start_utc);

-- The pages (web events) around a range, for url rules on browser windows:
-- a partial index, so window and AFK inserts do not pay for it.
CREATE INDEX ix_link_pages ON integration_external_event_links(event_start_utc) WHERE url != '';
