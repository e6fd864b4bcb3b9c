-- What a project rule also says about its time on the server: a TimeTracker
-- task of the project (by name, '' = none), billable (NULL: the server's
-- default), and tags added to "activitywatch" (comma-separated).
ALTER TABLE rules ADD COLUMN task TEXT NOT NULL DEFAULT '';
ALTER TABLE rules ADD COLUMN billable INTEGER;
ALTER TABLE rules ADD COLUMN tags TEXT NOT NULL DEFAULT '';

-- A block's task (by name, resolved against the server's tasks of its
-- project at push time) and billable flag.
ALTER TABLE push_blocks ADD COLUMN task TEXT NOT NULL DEFAULT '';
ALTER TABLE push_blocks ADD COLUMN billable INTEGER NOT NULL DEFAULT 1;
