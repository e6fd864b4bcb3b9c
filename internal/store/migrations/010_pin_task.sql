-- A pin may say, like a project rule, the TimeTracker task, billable and
-- tags of its time.
ALTER TABLE pins ADD COLUMN task TEXT NOT NULL DEFAULT '';
ALTER TABLE pins ADD COLUMN billable INTEGER NOT NULL DEFAULT 1;
ALTER TABLE pins ADD COLUMN tags TEXT NOT NULL DEFAULT '';
