-- Answers to "you were away: what was it?". kind: work (the time goes to
-- project_id, with note, task, billable, tags), not_work (kept out), later
-- (dismissed: not asked again on its own, still unanswered in the tray).
-- A split answer is several rows over one away period.
CREATE TABLE away_answers (
    id         INTEGER PRIMARY KEY,
    start_utc  INTEGER NOT NULL,
    end_utc    INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    note       TEXT    NOT NULL DEFAULT '',
    task       TEXT    NOT NULL DEFAULT '',
    billable   INTEGER NOT NULL DEFAULT 1,
    tags       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);
CREATE INDEX ix_away_answers_start ON away_answers(start_utc);
