-- The bucket's "last updated" (the end of its newest event, from the
-- bucket list) when a sync last read it up to its end: a Sync Now that
-- finds it unchanged has nothing new to read there.
ALTER TABLE sync_cursors ADD COLUMN seen_newest TEXT;
