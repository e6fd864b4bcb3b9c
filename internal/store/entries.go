package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Entry is a time entry as stored.
type Entry struct {
	ID              int64
	ProjectID       int64 // 0: none
	ProjectName     string
	Start, End      time.Time // in the zone they were written with
	DurationSeconds int64
	Notes           string
	Source          string
	BucketID        string // for imported entries
	App, Title, URL string // of the imported event ("" when redacted or not imported)
}

// Entries lists entries whose start lies in [from, to), oldest first.
func (s *Store) Entries(ctx context.Context, from, to time.Time) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, COALESCE(e.project_id, 0), COALESCE(p.name, ''), e.start_time,
			COALESCE(e.end_time, ''), COALESCE(e.duration_seconds, 0), COALESCE(e.notes, ''), e.source, COALESCE(l.bucket_id, ''),
			COALESCE(l.app, ''), COALESCE(l.title, ''), COALESCE(l.url, '')
		FROM time_entries e
		LEFT JOIN projects p ON p.id = e.project_id
		LEFT JOIN integration_external_event_links l ON l.time_entry_id = e.id
		WHERE e.start_utc >= ? AND e.start_utc < ?
		ORDER BY e.start_utc, e.id`, Micros(from), Micros(to))
	if err != nil {
		return nil, fmt.Errorf("listing entries: %w", explain(s.path, err))
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var start, end string
		if err := rows.Scan(&e.ID, &e.ProjectID, &e.ProjectName, &start, &end, &e.DurationSeconds, &e.Notes, &e.Source, &e.BucketID,
			&e.App, &e.Title, &e.URL); err != nil {
			return nil, fmt.Errorf("reading entry: %w", err)
		}
		if e.Start, err = time.Parse(time.RFC3339Nano, start); err != nil {
			return nil, fmt.Errorf("entry %d has a bad start_time %q: %w", e.ID, start, err)
		}
		if end != "" {
			if e.End, err = time.Parse(time.RFC3339Nano, end); err != nil {
				return nil, fmt.Errorf("entry %d has a bad end_time %q: %w", e.ID, end, err)
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EntryStats counts entries and sums their durations.
type EntryStats struct {
	Count        int64
	TotalSeconds int64
	First, Last  time.Time
}

// Stats summarises all entries.
func (s *Store) Stats(ctx context.Context) (EntryStats, error) {
	var st EntryStats
	var first, last sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(duration_seconds), 0), min(start_utc), max(end_utc) FROM time_entries`).
		Scan(&st.Count, &st.TotalSeconds, &first, &last)
	if err != nil {
		return st, fmt.Errorf("counting entries: %w", explain(s.path, err))
	}
	if first.Valid {
		st.First = FromMicros(first.Int64)
	}
	if last.Valid {
		st.Last = FromMicros(last.Int64)
	}
	return st, nil
}
