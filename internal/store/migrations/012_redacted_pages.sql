-- Redacted events, by start: a browser window shown during a redacted
-- page is redacted too, at every import and re-apply, though the page's
-- URL (what decided it) is gone.
CREATE INDEX ix_link_redacted ON integration_external_event_links(event_start_utc) WHERE redacted = 1;

-- The redact rule (rules.Rule.Key) that removed an event's title and URL:
-- with them gone the rule can no longer be matched, so the event stays
-- redacted while that rule lives ('' when no rule of its own did: a
-- window during a redacted or excluded page, or before this column).
ALTER TABLE integration_external_event_links ADD COLUMN redacted_by TEXT NOT NULL DEFAULT '';
