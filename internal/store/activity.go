package store

import (
	"context"
	"fmt"
	"time"
)

// Activity is an imported event as block building needs it.
type Activity struct {
	BucketID   string
	Start, End time.Time
	App, Title string
	URL        string
	ProjectID  int64
}

// Activities lists imported events overlapping [from, to), oldest first,
// each over the event's own extent: an entry spans whole seconds from the
// event's start (TimeTracker's end = start + duration_seconds), which would
// hand the fractions to its neighbours, up to a second an event.
func (s *Store) Activities(ctx context.Context, from, to time.Time) ([]Activity, error) {
	// The entry's end is within a second of the event's, so the range on
	// the entries (indexed) holds every event of the range.
	rows, err := s.db.QueryContext(ctx, `SELECT l.bucket_id, l.event_start_utc, l.event_end_utc,
			l.app, l.title, l.url, COALESCE(e.project_id, 0)
		FROM time_entries e JOIN integration_external_event_links l ON l.time_entry_id = e.id
		WHERE e.end_utc > ? AND e.start_utc < ? ORDER BY e.start_utc, l.id`, Micros(from.Add(-time.Second)), Micros(to))
	if err != nil {
		return nil, fmt.Errorf("reading activity: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []Activity
	for rows.Next() {
		var a Activity
		var start, end int64
		if err := rows.Scan(&a.BucketID, &start, &end, &a.App, &a.Title, &a.URL, &a.ProjectID); err != nil {
			return nil, err
		}
		if end <= Micros(from) || start >= Micros(to) {
			continue
		}
		a.Start, a.End = FromMicros(start), FromMicros(end)
		out = append(out, a)
	}
	return out, rows.Err()
}

// NotAFKPeriods lists the spans aw-watcher-afk marked "not-afk"
// overlapping [from, to), and whether any AFK status is known at all (a
// device without aw-watcher-afk has none).
func (s *Store) NotAFKPeriods(ctx context.Context, from, to time.Time) ([]Span, bool, error) {
	var any int
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM afk_events)`).Scan(&any); err != nil {
		return nil, false, fmt.Errorf("reading afk status: %w", explain(s.path, err))
	}
	out, err := s.AFKStatus(ctx, "not-afk", from, to)
	return out, any == 1, err
}

// AFKStatus lists the spans aw-watcher-afk marked with status ("afk" or
// "not-afk") overlapping [from, to), by start.
func (s *Store) AFKStatus(ctx context.Context, status string, from, to time.Time) ([]Span, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT start_utc, end_utc FROM afk_events
		WHERE status = ? AND end_utc > ? AND start_utc < ? ORDER BY start_utc`, status, Micros(from), Micros(to))
	if err != nil {
		return nil, fmt.Errorf("reading afk status: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []Span
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, fmt.Errorf("reading afk status: %w", err)
		}
		out = append(out, Span{Start: FromMicros(a), End: FromMicros(b)})
	}
	return out, rows.Err()
}
