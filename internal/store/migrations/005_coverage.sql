-- Per bucket, [covered_from_utc, synced_until_utc) has been read without a
-- gap, so Sync Now can start at the cursor once the lookback window is
-- covered, and a longer lookback reads only what lies before
-- covered_from_utc. NULL: not known (cursors written before this column).
ALTER TABLE sync_cursors ADD COLUMN covered_from_utc INTEGER;
