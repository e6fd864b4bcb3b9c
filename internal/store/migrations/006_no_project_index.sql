-- No query looks entries up by project and projects are never deleted (the
-- index served only ON DELETE SET NULL): keeping it cost every import and
-- every rule change an index write per entry that has a project.
DROP INDEX IF EXISTS ix_time_entries_project;
