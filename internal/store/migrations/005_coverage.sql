-- Per bucket, [covered_from_utc, synced_until_utc) has been read without a
-- gap, so Sync Now can start at the cursor once the lookback window is
-- covered, and a longer lookback reads only what lies before
-- covered_from_utc. NULL: not known (cursors written before this column).
ALTER TABLE sync_cursors ADD COLUMN covered_from_utc INTEGER;

-- An event stored without its title and URL because a redact rule (or an
-- excluded page over a browser window) covered it: if no rule covers it
-- any more, the text comes back only by reading the event again.
ALTER TABLE integration_external_event_links ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;
